import Deadline
import Hummingbird
import NIOCore

/// Runs the rest of a request on the event loop of its connection: the page's awaits (the MIS, the
/// store) then resume on the thread whose loop reads their answers, rather than each hopping to the
/// task pool and back.
public struct EventLoopAffinityMiddleware: RouterMiddleware {
    public typealias Context = RegistryRequestContext

    private let executors: [ObjectIdentifier: EventLoopTaskExecutor]

    /// For the connections of `group` (the server's); a request on another loop (a router test's) runs as it came.
    public init(group: any EventLoopGroup) {
        executors = Dictionary(uniqueKeysWithValues: group.makeIterator().map { (ObjectIdentifier($0), EventLoopTaskExecutor($0)) })
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let executor = executors[ObjectIdentifier(context.eventLoop)] else { return try await next(request, context) }
        return try await RaceWork.$executor.withValue(executor) {
            try await withTaskExecutorPreference(executor) { try await next(request, context) }
        }
    }
}

/// A task executor that runs its jobs on one NIO event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
