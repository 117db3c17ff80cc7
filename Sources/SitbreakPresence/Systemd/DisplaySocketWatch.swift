import CLinux
import Glibc
import SitbreakSystem

/// Tells when a display server's socket appears in or goes from a ``DisplaySocketDirectory``, and
/// then calls `reread` at once and again after a bounded back-off, until a reading changed.
///
/// What it stands for: `systemctl --user import-environment DISPLAY WAYLAND_DISPLAY` (`.xinitrc`
/// files, sway configs) reaches the user service manager through its private socket, which no bus
/// peer sees. The display server made its socket just before the session's start-up script runs
/// that, so the socket is the event to read after; how long the script takes to get there is not
/// known, hence the back-off (``backOffNanoseconds``: 1 s, 3 s, 10 s and 30 s after the socket
/// event). Each socket event starts the back-off again.
///
/// Costs nothing while nothing happens: inotify wakes the loop only when entries of the watched
/// directories come or go (not when files there are written), and the timer is armed only during
/// a back-off; after its last step, or the first re-read that changed something, nothing is armed.
final class DisplaySocketWatch {
    /// When the re-reads after the one at the socket event come, from that event.
    static let backOffNanoseconds: [Int64] = [1, 3, 10, 30].map { $0 * 1_000_000_000 }

    private let loop: EventLoop
    /// Reads the manager's environment again; true when the reading changed.
    private let reread: () -> Bool
    /// The inotify descriptor with a watch on every directory that could be watched; nil once
    /// stopped.
    private var inotify: FileDescriptor?
    /// The directories by inotify watch number.
    private var directories: [Int32: DisplaySocketDirectory] = [:]
    /// The back-off's timer: armed only while a re-read is pending.
    private var timer: LoopTimer?
    /// CLOCK_BOOTTIME nanoseconds of the last socket event: the back-off counts from it.
    private var eventInstant: Int64 = 0
    /// The step of ``backOffNanoseconds`` the timer is armed for; nil when none is pending.
    private(set) var pendingStep: Int?
    /// The directories that could not be watched, each with why (e.g.
    /// `/tmp/.X11-unix: No such file or directory`).
    private(set) var unwatched: [String] = []
    private var events = [sitbreak_entry_event](repeating: sitbreak_entry_event(), count: 64)

    /// Watches `directories` in `loop`. A directory that cannot be watched is listed in
    /// ``unwatched``; throws only when inotify or the timer cannot be created.
    init(directories: [DisplaySocketDirectory], loop: EventLoop, reread: @escaping () -> Bool) throws(SystemError) {
        self.loop = loop
        self.reread = reread
        let inotify = try FileDescriptor(checking: sitbreak_entry_watch_create(), "inotify_init1")
        for directory in directories {
            let watch = sitbreak_entry_watch_add(inotify.rawValue, directory.path)
            if watch < 0 {
                unwatched.append("\(directory.path): \(SystemError.reason(-watch))")
            } else {
                self.directories[watch] = directory
            }
        }
        guard !self.directories.isEmpty else { return }
        timer = try LoopTimer(loop: loop) { [weak self] in self?.backOffStepCame() }
        try loop.add(inotify.rawValue) { [weak self] _ in self?.drain() }
        self.inotify = inotify
    }

    deinit {
        stop()
    }

    /// Stops watching and disarms the back-off; closes the descriptors.
    func stop() {
        if let inotify {
            loop.remove(inotify.rawValue)
            inotify.close()
        }
        inotify = nil
        directories = [:]
        // LoopTimer's end takes it out of the loop and closes it.
        timer = nil
        pendingStep = nil
    }

    /// Reads the events waiting; a socket among them (or events lost) starts the back-off.
    private func drain() {
        guard let inotify else { return }
        let count = Int(sitbreak_entry_watch_read(inotify.rawValue, &events, Int32(events.count)))
        let socketCameOrWent =
            count < 0
            || events[..<count].contains { event in
                directories[event.watch]?.isSocket(Self.name(of: event)) == true
            }
        guard socketCameOrWent else { return }
        eventInstant = SystemClock.boottimeNanoseconds()
        readAndSchedule(next: 0)
    }

    private func backOffStepCame() {
        guard let step = pendingStep else { return }
        readAndSchedule(next: step + 1)
    }

    /// Re-reads; unless that changed something or the back-off is over, arms the timer for step
    /// `next`.
    private func readAndSchedule(next: Int) {
        let changed = reread()
        // `reread` may have stopped the watch (the bus closed while reading).
        guard inotify != nil else { return }
        guard !changed, next < Self.backOffNanoseconds.count else {
            pendingStep = nil
            timer?.arm(boottimeNanoseconds: nil)
            return
        }
        pendingStep = next
        timer?.arm(boottimeNanoseconds: eventInstant + Self.backOffNanoseconds[next])
    }

    private static func name(of event: sitbreak_entry_event) -> String {
        withUnsafeBytes(of: event.name) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
