import NIOCore
import PostgresNIO

/// A node's pools of PostgreSQL connections: one for each event loop of the server, so that a
/// request's statement is written and its answer read on the thread that serves the request (no
/// hop to another loop and back), or a single pool. `run()` runs them all until cancelled.
public struct PostgresPools: Sendable {
    private let pools: [(loop: (any EventLoop)?, client: PostgresClient)]

    /// One pool, for whatever loop asks.
    public init(_ client: PostgresClient) {
        pools = [(nil, client)]
    }

    /// A pool for each loop.
    init(_ pools: [(loop: any EventLoop, client: PostgresClient)]) {
        precondition(!pools.isEmpty, "at least one pool")
        self.pools = pools.map { ($0.loop, $0.client) }
    }

    /// The pool of the loop this runs on; the first one off the loops.
    var current: PostgresClient {
        pools.first { $0.loop?.inEventLoop == true }?.client ?? pools[0].client
    }

    /// Runs every pool until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for pool in pools { group.addTask { await pool.client.run() } }
        }
    }
}
