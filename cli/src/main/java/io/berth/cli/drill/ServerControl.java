package io.berth.cli.drill;

import java.util.List;

/**
 * How a drill reaches the servers' processes and network: on this machine by their process
 * IDs ({@link LocalControl}), or on real machines by commands the operator gives
 * ({@link RemoteControl}). Each fault has its healing counterpart; {@link #close} heals
 * whatever is still in force, so a failed or interrupted drill never leaves a server paused
 * or cut off.
 */
interface ServerControl extends AutoCloseable {
  /** Where the drill runs, for its report: a directory or the endpoints. */
  String where();

  List<DrillServer> servers();

  /** Ends the server's process at once (SIGKILL): no clean shutdown, as a crash. */
  void kill(DrillServer server) throws Exception;

  /** Stops the server cleanly (SIGTERM) and waits until it is gone. */
  void stop(DrillServer server) throws Exception;

  /** Starts a killed or stopped server again, on its data. */
  void start(DrillServer server) throws Exception;

  void pause(DrillServer server) throws Exception;

  void resume(DrillServer server) throws Exception;

  /** Cuts the server off from its Raft peers, both ways; clients still reach it. */
  void partition(DrillServer server) throws Exception;

  void heal(DrillServer server) throws Exception;

  /** What {@code action} does to a server here, for the drill's log ("SIGKILL", a command...). */
  String describe(String action, DrillServer server);

  @Override
  void close();
}
