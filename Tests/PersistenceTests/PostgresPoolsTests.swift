import Logging
import NIOPosix
import Testing
@testable import Persistence
import NIOCore

/// A node's statements go out on the pool of the event loop that serves the request.
@Suite("PostgreSQL pools per event loop")
struct PostgresPoolsTests {
    @Test func eachLoopHasAPoolOfItsOwnAndWorkOffTheLoopsTakesTheFirst() async throws {
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pools = try PostgresStore.pools(url: "postgres://registratura@127.0.0.1:1/registry", logger: Logger(label: "test"), loops: loops)
        let (first, second) = (loops.next(), loops.next())
        let onFirst = try await first.submit { ObjectIdentifier(pools.current) }.get()
        let onSecond = try await second.submit { ObjectIdentifier(pools.current) }.get()
        #expect(onFirst != onSecond)
        #expect(try await first.submit { ObjectIdentifier(pools.current) }.get() == onFirst)
        let offTheLoops = ObjectIdentifier(pools.current)
        #expect(offTheLoops == onFirst || offTheLoops == onSecond)
        try await loops.shutdownGracefully()
    }
}
