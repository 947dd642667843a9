import Booking
import Logging
import Persistence

/// The core's services as the wiring makes them once, for every channel.
public struct RegistryCoreServices: Sendable {
    public let region: Region
    public let database: any RegistryStore
    public let desk: BookingDesk
    public let reconciler: LedgerReconciler
    public let audit: AuditTrail
    /// The region's kiosks: the kiosk channel recognises them, administrators register and revoke them.
    public let kiosks: KioskDevices
    /// A clinic's decisions on the bookings waiting for it (its registrars' queue).
    public let reservations: ReservationDesk
    public let rules: BookingRules

    public init(region: Region, database: any RegistryStore, rules: BookingRules, logger: Logger) {
        self.region = region
        self.database = database
        audit = AuditTrail(database: database)
        kiosks = KioskDevices(database: database, audit: audit)
        desk = BookingDesk(region: region, database: database, rules: rules)
        let reconciler = LedgerReconciler(region: region, database: database, logger: logger)
        self.reconciler = reconciler
        reservations = ReservationDesk(region: region, database: database, audit: audit, reconciler: reconciler)
        self.rules = rules
    }
}
