package io.berth.chaos.history;

/**
 * An event one watcher received.
 *
 * @param watcher which watcher (several per replica)
 * @param replica the replica its stream was open to when the event arrived
 * @param event the change delivered
 * @param atNanos when it arrived, in nanoseconds since the run started
 */
public record WatchDelivery(int watcher, String replica, StoreEvent event, long atNanos) {}
