package io.berth.bench;

/**
 * The namespaces of one run, unique to it: {@code read} holds the preloaded objects the
 * get and list rows read (and nothing else, so a list is exactly that many objects);
 * {@code write} takes the creates and the per-client objects the update rows write;
 * {@code watch} holds the one object the watchers follow.
 */
record BenchNamespaces(String run) {

  static BenchNamespaces forRun(long millis) {
    return new BenchNamespaces("bench-" + Long.toString(millis, 36));
  }

  String read() {
    return run + "-read";
  }

  String write() {
    return run + "-write";
  }

  String watch() {
    return run + "-watch";
  }

  /** The name of preloaded object {@code i}. */
  static String readName(int i) {
    return "cm-" + i;
  }

  /** The name of the object client {@code client} updates. */
  static String updateName(int client) {
    return "u-" + client;
  }
}
