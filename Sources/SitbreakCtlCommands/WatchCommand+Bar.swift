import Glibc
import SitbreakClient
import SitbreakEngine
import SitbreakProtocol
import SitbreakSystem

extension WatchCommand {
    /// `watch --waybar` (template nil) or `watch --format TEMPLATE`: one line at the start, then
    /// one whenever the shown line changes: at each state snapshot and when the countdown's
    /// minute turns (the wait for the next line ends exactly then), never otherwise.
    func runBar(template: String?) throws {
        let interrupt = InterruptSignals.install()
        let clock = LocalClock()
        var status: StatusResult?
        var last: String?
        var outputFailed = false
        try connection.withClient { client throws(ClientError) in
            try client.subscribe()
            while true {
                let timeout = status.flatMap { BarLine.nextChange($0, now: Self.now()) }.map { Int($0) * 1000 }
                do throws(ClientError) {
                    guard
                        let line = try client.nextLine(
                            timeout: timeout, interruptedBy: interrupt >= 0 ? interrupt : nil)
                    else { return }
                    let event: JSONValue
                    do throws(JSONParseError) {
                        event = try JSONParser.parse(bytes: line)
                    } catch {
                        throw .malformedReply(error.description)
                    }
                    // Every change is followed by a state snapshot: the snapshot is all a bar needs.
                    guard event["event"]?.stringValue == "state" else { continue }
                    do throws(ReplyParseError) {
                        status = try StatusResult(json: event)
                    } catch {
                        throw .malformedReply(error.reason)
                    }
                } catch .timeout {
                    // The countdown's minute turned.
                }
                guard let status else { continue }
                let bar = BarLine(status, now: Self.now(), clock: clock)
                let text = template.map(bar.formatted) ?? bar.waybar
                if text == last { continue }
                last = text
                let output = StandardOutput()
                output.write(text + "\n")
                do throws(OutputError) {
                    try output.flush()
                } catch {
                    StandardError.writeLine("sitbreakctl: \(error.message)")
                    outputFailed = true
                    return
                }
                if once { return }
            }
        }
        if outputFailed { throw ExitStatus.outputFailed }
    }

    private static func now() -> Timestamp {
        Timestamp(secondsSinceEpoch: Int64(time(nil)))
    }
}
