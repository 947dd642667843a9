import Foundation
import Logging
import Persistence
import ServiceLifecycle

/// The registry's background rounds, every ten seconds: unsettled ledger entries are reconciled
/// (so an attempt lost to an outage is settled soon after the clinic answers again); every twenty
/// seconds the clinics' change logs are read (a patient hears of the clinic's change within a minute); every five minutes lapsed sessions (patients' and staff's) and old
/// identification and sign-in attempts are deleted. A session made at a kiosk is deleted within ten
/// seconds of lapsing: the patient has walked away.
public struct RegistryHousekeeping: Service {
    let reconciler: LedgerReconciler
    let database: any RegistryStore
    let sessionIdleTimeout: TimeInterval
    let staffSessionIdleTimeout: TimeInterval
    let kioskSessionIdleTimeout: TimeInterval
    /// Offers freed times to the waiting list every round.
    public var waitlist: WaitlistMatcher?
    /// Where the audit chain's head is recorded, at start and every five minutes when it moved; and the log it is also written to.
    public var auditCheckpoints: AuditCheckpoints?
    public var logger: Logger?
    let now: @Sendable () -> Date
    static let tick: Duration = .seconds(10)

    public init(reconciler: LedgerReconciler, database: any RegistryStore, sessionIdleTimeout: TimeInterval, staffSessionIdleTimeout: TimeInterval = 30 * 60,
                kioskSessionIdleTimeout: TimeInterval = 90, now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
        self.reconciler = reconciler
        self.database = database
        self.sessionIdleTimeout = sessionIdleTimeout
        self.staffSessionIdleTimeout = staffSessionIdleTimeout
        self.kioskSessionIdleTimeout = kioskSessionIdleTimeout
    }

    public func run() async throws {
        // Ends as soon as graceful shutdown begins, so SIGTERM stops the server promptly.
        try? await cancelWhenGracefulShutdown {
            var round = 0
            while !Task.isCancelled {
                let now = self.now()
                await reconciler.reconcileAll(now: now)
                _ = try? await database.deleteExpiredKioskSessions(now: now, idleTimeout: kioskSessionIdleTimeout)
                if let waitlist { await waitlist.run(now: now) }
                if round % 30 == 0 {
                    await recordAuditCheckpoint(now: now)
                    _ = try? await database.deleteExpiredSessions(now: now, idleTimeout: sessionIdleTimeout)
                    _ = try? await database.deleteExpiredStaffSessions(now: now, idleTimeout: staffSessionIdleTimeout)
                    _ = try? await database.deleteOldAttempts(now: now, window: PatientFinder.attemptWindow)
                }
                if round % 2 == 0 { await reconciler.followAllChanges(now: now) }
                round += 1
                try await Task.sleep(for: Self.tick)
            }
        }
    }

    private func recordAuditCheckpoint(now: Date) async {
        guard let auditCheckpoints else { return }
        do {
            if let checkpoint = try await auditCheckpoints.record(from: database, now: now) {
                logger?.notice("audit checkpoint", metadata: ["audit.sequence": .stringConvertible(checkpoint.sequence), "audit.hash": .string(checkpoint.hash), "audit.mac": .string(checkpoint.mac)])
            }
        } catch {
            logger?.error("audit checkpoint not written", metadata: ["error.type": .string(String(describing: type(of: error)))])
        }
    }
}
