import SitbreakClient
import SitbreakEngine
import SitbreakProtocol
import SitbreakSystem

/// The subscription to sitbreakd's event stream, kept up across daemon restarts: on the stream's
/// end it reconnects at once (socket activation starts the daemon), and while the daemon cannot
/// be reached it retries with a capped back-off (never a busy loop). Owns the subscribed client.
public final class DaemonLink {
    /// The socket's path.
    public let path: String
    private unowned let loop: EventLoop
    private let onLine: ([UInt8]) -> Void
    private let log: (String) -> Void
    private var client: ControlClient?
    /// The subscribed client's descriptor, as registered in the loop (the client forgets it
    /// when the stream ends).
    private var watched: Int32 = -1
    private var retry: LoopTimer?
    private var delayMilliseconds: Int64 = 0
    private var reportedUnreachable = false

    /// The first retry's delay, and the cap of the doubling back-off.
    public static let firstRetryMilliseconds: Int64 = 250
    /// The longest wait between two attempts.
    public static let maximumRetryMilliseconds: Int64 = 30_000
    /// How long a command (a button) may wait for the daemon's reply.
    public static let commandTimeoutMilliseconds = 2000

    /// Prepares a link to `path`; ``start()`` connects. `onLine` gets each line of the stream,
    /// `log` each change of the connection (once per change).
    public init(path: String, loop: EventLoop, log: @escaping (String) -> Void, onLine: @escaping ([UInt8]) -> Void)
        throws(SystemError)
    {
        self.path = path
        self.loop = loop
        self.log = log
        self.onLine = onLine
        retry = try LoopTimer(loop: loop) { [unowned self] in self.connect() }
    }

    /// Whether the stream is connected now.
    public var isConnected: Bool { client != nil }

    /// Connects (or schedules the next attempt).
    public func start() {
        connect()
    }

    private func connect() {
        guard client == nil else { return }
        do {
            let candidate = try ControlClient(path: path, timeout: Self.commandTimeoutMilliseconds)
            try candidate.subscribe(timeout: Self.commandTimeoutMilliseconds)
            let fd = candidate.fileDescriptor
            do {
                try loop.add(fd) { [unowned self] _ in self.readable() }
            } catch {
                throw ClientError.io("watching the socket: \(error)")
            }
            client = candidate
            watched = fd
            delayMilliseconds = 0
            reportedUnreachable = false
            log("subscribed to sitbreakd at \(path)")
            // The subscribe reply may have brought the first lines with it.
            readable()
        } catch {
            if !reportedUnreachable {
                log(
                    "cannot reach sitbreakd: \(error); retrying with a back-off of up to \(Self.maximumRetryMilliseconds / 1000) s"
                )
                reportedUnreachable = true
            }
            delayMilliseconds =
                delayMilliseconds == 0
                ? Self.firstRetryMilliseconds : min(delayMilliseconds * 2, Self.maximumRetryMilliseconds)
            retry?.arm(after: delayMilliseconds * 1_000_000)
        }
    }

    private func readable() {
        guard let client else { return }
        let result: (lines: [[UInt8]], ended: Bool)
        do {
            result = try client.availableLines()
        } catch {
            log("the event stream from sitbreakd failed: \(error)")
            lost()
            return
        }
        for line in result.lines { onLine(line) }
        if result.ended {
            log("sitbreakd closed the event stream; reconnecting")
            lost()
        }
    }

    private func lost() {
        if watched >= 0 { loop.remove(watched) }
        watched = -1
        client?.close()
        client = nil
        // At once: a restarted or socket-activated daemon answers now; if not, the back-off starts.
        connect()
    }

    /// Sends `command` on a connection of its own (the stream's carries no replies) and returns
    /// the daemon's answer: nil on success, else the error.
    public func send(_ command: SitbreakEngine.Command) -> ClientError? {
        do {
            let connection = try ControlClient(path: path, timeout: Self.commandTimeoutMilliseconds)
            defer { connection.close() }
            try connection.call(.command(command), timeout: Self.commandTimeoutMilliseconds)
            return nil
        } catch {
            return error
        }
    }
}
