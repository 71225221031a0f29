package io.berth.client;

import java.util.List;

/**
 * Every object of a list, all pages joined.
 *
 * @param resourceVersion the store revision the list was read at: watch from here to
 *     see every change after it
 */
public record ListResult<T>(List<T> items, String resourceVersion) {}
