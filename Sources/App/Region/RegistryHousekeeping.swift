import Foundation
import Persistence
import ServiceLifecycle

/// The registry's background rounds: at start-up and then every minute, the clinics' change logs are
/// read; every fifth round, unsettled ledger entries are reconciled, and lapsed sessions and old
/// identification attempts deleted.
struct RegistryHousekeeping: Service {
    let reconciler: LedgerReconciler
    let database: AppDatabase
    let sessionIdleTimeout: TimeInterval

    func run() async throws {
        // Ends as soon as graceful shutdown begins, so SIGTERM stops the server promptly.
        try? await cancelWhenGracefulShutdown {
            var round = 0
            while !Task.isCancelled {
                let now = Date()
                if round % 5 == 0 {
                    await reconciler.reconcileAll(now: now)
                    _ = try? database.deleteExpiredSessions(now: now, idleTimeout: sessionIdleTimeout)
                    _ = try? database.deleteOldAttempts(now: now, window: IdentifyController.attemptWindow)
                }
                await reconciler.followAllChanges(now: now)
                round += 1
                try await Task.sleep(for: .seconds(60))
            }
        }
    }
}
