import Foundation
import Logging
import MISBridge
import Persistence
import ServiceLifecycle

/// Settles ledger entries left `pending` (the registry asked, but never learned the answer): the
/// clinic's MIS history says whether the appointment exists. Runs at start-up, every few minutes,
/// and when a patient opens the cabinet.
struct LedgerReconciler: Service {
    let region: Region
    let database: AppDatabase
    let logger: Logger
    /// An attempt younger than this may still be on its way; it is left alone.
    var grace: TimeInterval = 60

    func run() async throws {
        // Ends as soon as graceful shutdown begins, so SIGTERM stops the server promptly.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await reconcileAll(now: Date())
                try await Task.sleep(for: .seconds(300))
            }
        }
    }

    /// Settles every pending entry older than the grace period.
    func reconcileAll(now: Date) async {
        guard let pending = try? database.pendingBookings(olderThan: now.addingTimeInterval(-grace)), !pending.isEmpty else { return }
        await reconcile(pending)
    }

    /// Settles the given entries; an entry whose MIS cannot be reached stays pending for next time.
    func reconcile(_ entries: [LedgerEntry]) async {
        for entry in entries where entry.status == .pending {
            do {
                guard let found = try await region.clinic(entry.clinicID) else { continue }
                let history = try await found.client.history(clinic: entry.clinicID, patient: entry.misPatientID)
                if let appointment = history.first(where: { $0.slotID == entry.slotID && $0.status == .active }) {
                    try database.confirmBooking(requestID: entry.requestID, appointmentID: appointment.id, ticket: appointment.ticket)
                } else {
                    try database.failBooking(requestID: entry.requestID)
                }
                logger.info("ledger reconciled", metadata: ["ledger.clinic": .string(entry.clinicID)])
            } catch {
                logger.warning("ledger reconciliation postponed", metadata: ["ledger.clinic": .string(entry.clinicID), "error.type": .string(String(describing: type(of: error)))])
            }
        }
    }
}
