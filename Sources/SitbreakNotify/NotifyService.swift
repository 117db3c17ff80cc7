import CLinux
import Glibc
import SitbreakClient
import SitbreakConfig
import SitbreakDBus
import SitbreakProtocol
import SitbreakSystem

/// `sitbreak-notify`'s imperative shell: one thread, one epoll loop. Lines from the daemon and
/// signals from the notification server go into the ``Notifier``; its actions become D-Bus calls
/// and daemon commands. It wakes only when a descriptor is ready: no periodic timer.
public final class NotifyService {
    private let loop: EventLoop
    private let environment: [String: String]
    private let options: NotifyOptions
    private var notifier: Notifier
    private var server: NotificationServer?
    private var link: DaemonLink?
    private var hooks: HookRunner?
    private let signalFD: Int32
    private var running = true
    private var exitStatus: Int32 = 0
    private var serverName: String?

    /// Sets up everything: the configuration, the session bus, the daemon's socket, signals.
    public init(options: NotifyOptions, environment: [String: String]) throws(NotifyError) {
        self.options = options
        self.environment = environment
        do {
            loop = try EventLoop()
        } catch {
            throw NotifyError("cannot create the event loop: \(error)")
        }
        let configuration = Self.loadConfiguration(options: options, environment: environment, log: Self.log)
        notifier = Notifier(preferences: configuration?.notify ?? NotifyPreferences())
        let fd = sitbreak_signalfd_create()
        guard fd >= 0 else { throw NotifyError("signalfd: \(String(cString: strerror(-fd)))") }
        signalFD = fd
        do {
            hooks = try HookRunner(loop: loop, preferences: configuration?.hooks ?? HookPreferences(), log: Self.log)
            try loop.add(signalFD) { [unowned self] _ in self.signalArrived() }
        } catch {
            throw NotifyError("cannot watch signals: \(error)")
        }
        let socketPath: String
        if let path = options.socketPath {
            socketPath = path
        } else {
            do {
                socketPath = try ControlClient.defaultPath(environment: environment)
            } catch {
                throw NotifyError(error.description)
            }
        }
        do {
            server = try NotificationServer(environment: environment, loop: loop) { [unowned self] signal in
                self.serverSignal(signal)
            }
        } catch {
            throw NotifyError("cannot connect to the session bus: \(error)")
        }
        server?.onClose { [unowned self] in
            Self.log("the session bus closed the connection; exiting")
            self.exitStatus = 1
            self.running = false
        }
        do {
            link = try DaemonLink(path: socketPath, loop: loop, log: Self.log) { [unowned self] line in
                self.daemonLine(line)
            }
        } catch {
            throw NotifyError("cannot create a timer: \(error)")
        }
    }

    deinit {
        close(signalFD)
    }

    /// Runs until SIGTERM or SIGINT (0), or until the session bus goes away (1).
    public func run() -> Int32 {
        // Ask the server now: calling it starts one that is D-Bus activatable.
        if let server {
            do {
                serverSignal(.owner(try server.describe()))
            } catch {
                Self.log("no notification server answers on the session bus yet (\(error)); waiting for one")
            }
        }
        link?.start()
        // Start-up code is not needed while waiting (docs/design.md §7); failing costs memory only.
        do {
            try ProcessMemory.releaseReadOnlyPages()
        } catch {
            Self.log("cannot give back start-up memory: \(error)")
        }
        while running {
            guard loop.runOnce() else {
                Self.log("the event loop failed; exiting")
                return 1
            }
        }
        // Reminders this program put up would otherwise stay with no one to close them.
        for (_, entry) in notifier.shown {
            if let id = entry.id { try? server?.close(id) }
        }
        return exitStatus
    }

    // MARK: - Inputs

    private func daemonLine(_ line: [UInt8]) {
        let event: DaemonEvent
        do {
            event = try DaemonEvent.decode(line)
        } catch {
            let text = String(decoding: line.prefix(200), as: UTF8.self)
            Self.log("ignoring a line from sitbreakd that is not an event (\(error)): \(text)")
            return
        }
        if case .state = event {} else { hooks?.run(line: line) }
        perform(notifier.handle(.daemon(event)))
    }

    private func serverSignal(_ signal: NotificationServer.Signal) {
        switch signal {
        case .actionInvoked(let id, let key): perform(notifier.handle(.actionInvoked(id: id, key: key)))
        case .closed(let id, let reason): perform(notifier.handle(.closed(id: id, reason: reason)))
        case .owner(let description?):
            if serverName != description.server {
                Self.log(
                    "notification server: \(description.server) (capabilities: "
                        + description.capabilities.joined(separator: " ") + ")")
                serverName = description.server
            }
            perform(notifier.handle(.serverAppeared(ServerCapabilities(description.capabilities))))
        case .owner(nil):
            if serverName != nil { Self.log("the notification server left the session bus") }
            serverName = nil
            perform(notifier.handle(.serverVanished))
        }
    }

    private func signalArrived() {
        while true {
            let signal = sitbreak_signalfd_read(signalFD)
            if signal <= 0 { return }
            if signal == SIGHUP {
                reload()
            } else {
                running = false
            }
        }
    }

    private func reload() {
        guard let configuration = Self.loadConfiguration(options: options, environment: environment, log: Self.log)
        else {
            Self.log("keeping the running [notify] and [hooks] settings")
            return
        }
        perform(notifier.handle(.configured(configuration.notify)))
        hooks?.preferences = configuration.hooks
        Self.log("reloaded the [notify] and [hooks] settings")
    }

    // MARK: - Actions

    private func perform(_ actions: [Notifier.Action]) {
        for action in actions {
            switch action {
            case .show(let request):
                guard let server else { continue }
                do {
                    let id = try server.notify(request)
                    perform(notifier.handle(.shown(request.slot, id: id)))
                } catch {
                    // Without a server the call only tried D-Bus activation; its absence was
                    // logged once already, so each reminder meanwhile is not logged again.
                    if serverName != nil {
                        Self.log("the notification server did not show \"\(request.summary)\": \(error)")
                    }
                }
            case .close(let id):
                do {
                    try server?.close(id)
                } catch {
                    Self.log("the notification server did not close notification \(id): \(error)")
                }
            case .send(let command):
                guard let link else { continue }
                switch link.send(command) {
                case nil: break
                case .daemon(code: "refused", let message)?:
                    perform(
                        notifier.handle(.refused(command: command.word, kind: command.kind ?? "", reason: message)))
                case let error?:
                    Self.log("sitbreakd did not take \(command.word) \(command.kind ?? ""): \(error)")
                }
            }
        }
    }

    // MARK: - Configuration and log

    /// The configuration file's content, or nil (after logging why) when it cannot be read.
    static func loadConfiguration(
        options: NotifyOptions, environment: [String: String], log: (String) -> Void
    ) -> Configuration? {
        do {
            if let path = options.configPath { return try ConfigLoader.loadConfiguration(path: path) }
            return try ConfigLoader.loadDefaultConfiguration(environment: environment).configuration
        } catch {
            log("configuration: \(error)")
            return nil
        }
    }

    /// One line to standard error, which the user manager sends to the journal.
    static func log(_ line: String) {
        StandardError.writeLine("sitbreak-notify: " + line)
    }
}

/// Why `sitbreak-notify` cannot start.
public struct NotifyError: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
