import CX11Idle

/// One connection to an X server through `CX11Idle` (libX11, libXss and libXext loaded at run
/// time): the server's idle time and its IDLETIME alarms. The only owner of its C handle, which
/// it closes in deinit; used on the daemon's loop thread only.
final class X11Connection {
    private let handle: OpaquePointer
    /// The display name it was opened with (`:5`).
    let displayName: String

    /// Opens `displayName`; throws why the x11 source cannot work there.
    init(displayName: String) throws(PresenceUnavailable) {
        var status: Int32 = 0
        var detail = [CChar](repeating: 0, count: 256)
        guard let handle = sitbreak_x11_open(displayName, &status, &detail, detail.count) else {
            let loader = Self.text(detail)
            switch Int(status) {
            case SITBREAK_X11_NO_LIBX11:
                throw PresenceUnavailable(
                    "libX11 cannot be loaded (\(loader)); install libx11-6 to watch X11 idle time")
            case SITBREAK_X11_NO_LIBXSS:
                throw PresenceUnavailable(
                    "libXss cannot be loaded (\(loader)); install libxss1 to watch X11 idle time")
            case SITBREAK_X11_CANNOT_OPEN:
                throw PresenceUnavailable(
                    "cannot open the X display \(displayName) (no server there, or it refused the connection)")
            case SITBREAK_X11_NO_SCREEN_SAVER:
                throw PresenceUnavailable("the X server \(displayName) has no MIT-SCREEN-SAVER extension")
            case SITBREAK_X11_XWAYLAND:
                throw PresenceUnavailable(
                    "the X server \(displayName) is Xwayland, which sees only input to X11 windows")
            default:
                throw PresenceUnavailable("opening the X display \(displayName) ran out of memory")
            }
        }
        self.handle = handle
        self.displayName = displayName
    }

    deinit {
        sitbreak_x11_close(handle)
    }

    /// The connection's descriptor, readable when the server sent an event or hung up.
    var fd: Int32 { sitbreak_x11_fd(handle) }

    /// Arms the rising and falling IDLETIME alarms at `thresholdMilliseconds`; returns nil, or
    /// why the server cannot push (then the source polls).
    func setIdleAlarms(thresholdMilliseconds: UInt64) -> String? {
        var detail = [CChar](repeating: 0, count: 256)
        guard sitbreak_x11_set_idle_alarms(handle, thresholdMilliseconds, &detail, detail.count) != 0 else {
            return nil
        }
        return Self.text(detail)
    }

    /// Milliseconds since the last input on the server, or nil when the connection broke.
    func idleMilliseconds() -> UInt64? {
        var idle: UInt64 = 0
        return sitbreak_x11_idle_ms(handle, &idle) == 0 ? idle : nil
    }

    /// Consumes what the server sent; the number of alarm events, or nil when the connection broke.
    func dispatch() -> Int? {
        let alarms = sitbreak_x11_dispatch(handle)
        return alarms < 0 ? nil : Int(alarms)
    }

    /// Whether events wait in Xlib's buffer, read along with a reply: the descriptor will not
    /// become readable for them.
    var hasQueuedEvents: Bool { sitbreak_x11_queued(handle) != 0 }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
