// The daemon library; its first types land with the daemon.
