import Glibc
import SitbreakSystem

/// One client of the control socket: its descriptor, what it sent that is not a whole line yet,
/// and what waits to be written to it.
final class ClientConnection {
    /// The connected socket (non-blocking), closed when the connection goes away.
    let descriptor: FileDescriptor
    /// The connected socket's number.
    var fd: Int32 { descriptor.rawValue }
    /// Bytes received after the last complete line.
    var input = LineBuffer()
    /// Bytes waiting for the socket to accept them.
    var output: [UInt8] = []
    /// Where in `output` writing resumes (avoids shifting the buffer on every partial write).
    var outputStart = 0
    /// The connection asked for the event stream.
    var subscribed = false
    /// Close once `output` is flushed (after an error that ends the connection).
    var closeAfterFlush = false
    /// Whether the loop is watching for writability.
    var wantsWrite = false
    /// Whether the loop is watching for requests (off while replies pile up, and after EOF).
    var wantsRead = true
    /// The peer shut down its sending side (or closed): what it sent is answered, then it ends.
    var peerFinished = false
    /// A reply is being computed a slice at a time (a long `stats`): no further request of this
    /// client is read or answered until it is sent, so replies stay in request order.
    var awaitingReply = false
    /// Requests are being handled for this client now (a reply sent from inside a handler must
    /// not start handling the next line).
    var isProcessing = false
    /// When it connected (CLOCK_MONOTONIC, ns).
    let connectedAt: Int64
    /// When it last completed a request, or connected (CLOCK_MONOTONIC, ns): the longest idle is
    /// evicted first when the server is full.
    var lastActive: Int64
    /// It has sent at least one complete request line.
    var hasSpoken = false
    /// Order of acceptance (the newest subscriber is the one evicted when only subscribers remain).
    let serial: UInt64

    init(_ descriptor: FileDescriptor, serial: UInt64, now: Int64) {
        self.descriptor = descriptor
        self.serial = serial
        connectedAt = now
        lastActive = now
    }

    /// Bytes queued and not yet written.
    var backlog: Int { output.count - outputStart }

    /// Queues `line` and a line feed.
    func enqueue(_ line: String) {
        output.append(contentsOf: line.utf8)
        output.append(0x0A)
    }

    /// Writes as much as the socket takes. Returns false when the peer is gone.
    func flush() -> Bool {
        while outputStart < output.count {
            let n = output.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + outputStart, output.count - outputStart, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                outputStart += n
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                break
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.count < 65536)
            outputStart = 0
        } else if outputStart > 65536 {
            output.removeFirst(outputStart)
            outputStart = 0
        }
        return true
    }
}
