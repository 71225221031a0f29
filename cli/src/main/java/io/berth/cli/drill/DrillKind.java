package io.berth.cli.drill;

import io.berth.cli.UserError;

/** The drills {@code berth drill} knows, by the word that names each on the command line. */
enum DrillKind {
  KILL_STORE_LEADER("kill-store-leader"), KILL_CONTROLLER_LEADER("kill-controller-leader"),
  KILL_SCHEDULER_LEADER("kill-scheduler-leader"), PAUSE("pause"), PARTITION("partition"), RESTART("restart"),
  ROLLING_RESTART("rolling-restart");

  final String flag;

  DrillKind(String flag) {
    this.flag = flag;
  }

  static DrillKind parse(String text) {
    for (DrillKind kind : values()) {
      if (kind.flag.equals(text)) {
        return kind;
      }
    }
    throw new UserError("unknown drill '" + text + "'; one of kill-store-leader, kill-controller-leader, "
        + "kill-scheduler-leader, pause NAME, partition NAME, restart NAME, rolling-restart");
  }

  /** Whether the drill takes the NAME of a server. */
  boolean needsName() {
    return this == PAUSE || this == PARTITION || this == RESTART;
  }

  /** The election whose leader a kill-*-leader drill for a component takes away. */
  String component() {
    return this == KILL_SCHEDULER_LEADER ? "berth-scheduler" : "berth-controller-manager";
  }

  boolean killsAComponentLeader() {
    return this == KILL_CONTROLLER_LEADER || this == KILL_SCHEDULER_LEADER;
  }
}
