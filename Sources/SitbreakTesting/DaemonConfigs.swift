/// Configurations for tests of a running daemon.
public enum DaemonConfigs {
    /// A schedule that stays quiet during a test: nothing falls due within minutes.
    public static let quiet = """
        [breaks.walk]
        every = "50m"
        duration = "5m"
        [breaks.posture]
        every = "20m"
        duration = "0s"
        """

    /// A seconds-scale schedule: posture every 2 s, walk every 4 s for 2 s.
    public static let fast = """
        idle_threshold = "1s"
        coalesce = "0s"
        [breaks.walk]
        every = "4s"
        duration = "2s"
        renotify = "1s"
        max_nags = 1
        [breaks.posture]
        every = "2s"
        duration = "0s"
        """
}
