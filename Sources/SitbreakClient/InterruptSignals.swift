import Glibc
import Synchronization

/// The write end of the self-pipe; the signal handler can reach only globals.
private let pipeWriteEnd = Atomic<Int32>(-1)

/// Turns SIGINT and SIGTERM into a readable descriptor, so a blocking `poll` (a `watch` stream)
/// can end cleanly on Ctrl-C instead of the process dying with the output half written.
///
/// The classic self-pipe: the handler only writes one byte (async-signal-safe), and the loop
/// polls the pipe beside the socket. Without a handler, SIGINT would kill the process, and a
/// flag alone could be missed between checking it and entering `poll`.
public enum InterruptSignals {
    /// Installs the handlers (once) and returns the descriptor that becomes readable on a signal.
    public static func install() -> Int32 {
        let existing = readEnd.load(ordering: .acquiring)
        if existing >= 0 { return existing }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return -1 }
        // Non-blocking: a burst of signals must never block the handler on a full pipe.
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        pipeWriteEnd.store(ends[1], ordering: .releasing)
        readEnd.store(ends[0], ordering: .releasing)
        // A parent may have started us with these blocked (a process spawned from a Dispatch
        // worker thread inherits its mask, which blocks nearly everything); blocked, they would
        // stay pending and the stream would never end.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                var byte: UInt8 = 1
                _ = write(pipeWriteEnd.load(ordering: .relaxed), &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signal, &action, nil)
        }
        return ends[0]
    }

    private static let readEnd = Atomic<Int32>(-1)
}
