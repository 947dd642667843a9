import Hummingbird
import HummingbirdCore
import NIOHTTPTypes
import NIOCore
import Synchronization

/// What one client may hold of an HTTP/1 server: how long a request head and body may take to
/// arrive, how long a kept-alive connection may sit idle, and how many connections one address may
/// keep open. Half-sent requests (slowloris) are cut off instead of holding the server.
public struct ConnectionLimits: Sendable, Equatable {
    /// From a connection's start, or the end of the previous answer on it, until a whole request
    /// head has arrived; it is also how long an idle kept-alive connection stays open.
    public var requestHeadTimeout: Duration
    /// From the head until the whole body has arrived.
    public var requestBodyTimeout: Duration
    /// Connections one client address may have open at once; 0 for no limit (behind a proxy that limits them itself).
    public var connectionsPerAddress: Int

    public init(requestHeadTimeout: Duration = .seconds(10), requestBodyTimeout: Duration = .seconds(20), connectionsPerAddress: Int = 128) {
        self.requestHeadTimeout = requestHeadTimeout
        self.requestBodyTimeout = requestBodyTimeout
        self.connectionsPerAddress = connectionsPerAddress
    }

    /// An HTTP/1 server that keeps these limits.
    public func http1Server() -> HTTPServerBuilder {
        let counter = ConnectionCounter()
        let limits = self
        return .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(limits: limits, counter: counter)]))
    }
}

/// Open connections by client address, shared by every connection of one server.
final class ConnectionCounter: Sendable {
    private let open = Mutex<[String: Int]>([:])

    /// Counts a new connection from `address`; false (and nothing counted) if it already has `limit`.
    func admit(_ address: String, limit: Int) -> Bool {
        open.withLock { open in
            let count = open[address, default: 0]
            guard limit == 0 || count < limit else { return false }
            open[address] = count + 1
            return true
        }
    }

    func release(_ address: String) {
        open.withLock { open in
            let count = open[address, default: 1] - 1
            open[address] = count > 0 ? count : nil
        }
    }

    func count(_ address: String) -> Int {
        open.withLock { $0[address, default: 0] }
    }
}

/// Sits in each connection's pipeline behind the HTTP codec: closes the connection when a head or
/// a body does not arrive in time or the connection has been idle too long, and refuses a
/// connection beyond its address's share.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let counter: ConnectionCounter
    private var address: String?
    private var started = false
    private var readingBody = false
    /// Requests whose answer has not been written to its end yet.
    private var unanswered = 0
    /// When the connection is to be closed unless something moves it on; nil while no clock runs.
    private var deadline: NIODeadline?
    /// The one timer of the connection and when it fires. It is moved only when a deadline comes
    /// earlier than it: otherwise, firing, it looks at the deadline and waits again for what is
    /// left — so that keeping a connection alive costs two clock readings per request, not two
    /// timers scheduled and cancelled (which had been a tenth of a page's work).
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?
    /// The answer was written before its request's body had all arrived (refused as too large, or not
    /// needed): the rest is not read. The connection closes after a short linger that lets the client
    /// read the answer rather than meet a reset, dropping whatever still comes.
    private var lingering = false
    private var lingeredBytes = 0
    /// How long, and for how many more bytes, a connection lingers after such an answer.
    static let lingerTime: Duration = .seconds(2)
    static let lingerBytes = 1 << 20

    init(limits: ConnectionLimits, counter: ConnectionCounter) {
        self.limits = limits
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if lingering {
            switch unwrapInboundIn(data) {
            case .body(let buffer):
                lingeredBytes += buffer.readableBytes
                if lingeredBytes > Self.lingerBytes { context.close(promise: nil) }
            case .end, .head:
                context.close(promise: nil)
            }
            return
        }
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingBody = true
            arm(context, after: limits.requestBodyTimeout)
        case .body:
            break
        case .end:
            readingBody = false
            // The answer is being made; no clock runs until it has been written.
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where readingBody:
            // Answered before the body arrived: the client is told the connection ends with this answer.
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
            return
        case .end:
            unanswered = max(0, unanswered - 1)
            if readingBody {
                let written = promise ?? context.eventLoop.makePromise()
                context.write(data, promise: written)
                written.futureResult.assumeIsolated().whenSuccess { [weak self] in self?.linger(context) }
                return
            }
            if unanswered == 0 { arm(context, after: limits.requestHeadTimeout) }
        default:
            break
        }
        context.write(data, promise: promise)
    }

    /// Stops reading the request (what still comes is dropped) and closes once the client has had a
    /// moment to read the answer: half-closed at once, fully after `lingerTime` or `lingerBytes`.
    private func linger(_ context: ChannelHandlerContext) {
        guard !lingering, context.channel.isActive else { return }
        lingering = true
        context.flush()
        context.close(mode: .output, promise: nil)
        arm(context, after: Self.lingerTime)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        guard counter.admit(address, limit: limits.connectionsPerAddress) else {
            context.close(promise: nil)
            return
        }
        self.address = address
        arm(context, after: limits.requestHeadTimeout)
    }

    private func stop() {
        cancelTimer()
        if let address {
            counter.release(address)
            self.address = nil
        }
    }

    private func arm(_ context: ChannelHandlerContext, after duration: Duration) {
        let due = NIODeadline.now() + TimeAmount(duration)
        deadline = due
        if let firesAt = timerFiresAt, firesAt <= due { return }
        schedule(context, at: due)
    }

    /// No clock runs (an answer is being made); the timer, when it fires, finds nothing due.
    private func disarm() {
        deadline = nil
    }

    private func schedule(_ context: ChannelHandlerContext, at due: NIODeadline) {
        timer?.cancel()
        timerFiresAt = due
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [weak self] in
            self?.timerFired(context)
        }
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        timer = nil
        timerFiresAt = nil
        guard let deadline else { return }
        if deadline <= NIODeadline.now() {
            context.close(promise: nil)
        } else {
            schedule(context, at: deadline)
        }
    }

    private func cancelTimer() {
        deadline = nil
        timer?.cancel()
        timer = nil
        timerFiresAt = nil
    }
}
