import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing
import Web

/// A request's awaits resume on its connection's event loop, and requests of a loop not the
/// server's (a router test's) run as they came.
@Suite struct EventLoopAffinityTests {
    /// A route that awaits a timer of another loop and answers where it resumed.
    private static func router(group: any EventLoopGroup) -> Router<RegistryRequestContext> {
        let router = Router(context: RegistryRequestContext.self)
        router.addMiddleware { EventLoopAffinityMiddleware(group: group) }
        router.get("/where") { _, context -> String in
            let before = context.eventLoop.inEventLoop
            try await MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .milliseconds(5)) {}.futureResult.get()
            try await Task.sleep(for: .milliseconds(5))
            let after = context.eventLoop.inEventLoop
            return "\(before) \(after)"
        }
        return router
    }

    @Test func aServedRequestRunsOnItsConnectionsLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let app = Application(router: Self.router(group: group), configuration: .init(address: .hostname("127.0.0.1", port: 0)), eventLoopGroupProvider: .shared(group))
        try await app.test(.live) { client in
            for _ in 0..<4 {
                let answer = try await client.execute(uri: "/where", method: .get) { String(buffer: $0.body) }
                #expect(answer == "true true")
            }
        }
        try await group.shutdownGracefully()
    }

    @Test func aRequestOfAnotherLoopRunsAsItCame() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let app = Application(router: Self.router(group: group))
        try await app.test(.router) { client in
            let answer = try await client.execute(uri: "/where", method: .get) { String(buffer: $0.body) }
            #expect(answer == "false false")
        }
        try await group.shutdownGracefully()
    }
}
