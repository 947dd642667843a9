import Booking
import Foundation
import MISBridge
import Persistence

extension LedgerMove {
    /// The move as the MIS's appointment now stands: its time, doctor and state.
    public init(_ appointment: MISAppointment, zone: TimeZone) {
        self.init(start: appointment.start, end: appointment.end, day: BookingRules.day(appointment.start, zone), slotID: appointment.slotID, doctorID: appointment.doctorID,
                  doctorName: appointment.doctorName, room: appointment.room, status: appointment.status == .reserved ? .awaiting : .active)
    }
}
