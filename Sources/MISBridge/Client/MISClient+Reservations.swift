import Foundation

extension MISClient {
    /// The clinic's reservations awaiting a decision and its displaced entries (staff data: the
    /// caller shows them to the clinic's staff only and audits the look).
    public func reservations(clinic: String) async throws(MISFailure) -> [MISReservation] {
        try MISAnswer.reservations(try await call(MISRequests.ReservationList(clinic: try gatewayID(clinic)))).map {
            MISReservation(appointment: $0.appointment.named(clinic), createdAt: $0.createdAt, person: $0.person)
        }
    }

    /// Confirms a reservation with the card `patient`: an active appointment from now on.
    public func confirmReservation(clinic: String, appointment: String, patient: String, actor: String?) async throws(MISFailure) -> MISAppointment {
        try MISAnswer.appointment(try await call(MISRequests.ConfirmReservation(clinic: try gatewayID(clinic), appointment: appointment, patient: patient, actor: actor))).named(clinic)
    }

    /// Refuses a reservation (or cancels a displaced entry) as the clinic; its time is free again.
    public func refuseReservation(clinic: String, appointment: String, reason: MISRefusalReason, text: String?, actor: String?) async throws(MISFailure) -> MISAppointment {
        let refused = try MISAnswer.appointment(try await call(MISRequests.RefuseReservation(clinic: try gatewayID(clinic), appointment: appointment, reason: reason, text: text, actor: actor))).named(clinic)
        freeTimes.forget(clinic: clinic, doctor: refused.doctorID)
        return refused
    }

    /// Moves an appointment as the clinic to `slot` (the same specialty); the old time is free again.
    public func moveAppointment(clinic: String, appointment: String, slot: String, reason: String?, actor: String?) async throws(MISFailure) -> MISAppointment {
        let moved = try MISAnswer.appointment(try await call(MISRequests.MoveAppointment(clinic: try gatewayID(clinic), appointment: appointment, slot: slot, reason: reason, actor: actor))).named(clinic)
        freeTimes.forget(clinic: clinic, doctor: nil)
        return moved
    }

    /// Opens a card for the person in the clinic (or answers the one they have there).
    public func createPatient(clinic: String, person: MISPersonDetails) async throws(MISFailure) -> MISPatient {
        try MISAnswer.patient(try await call(MISRequests.CreatePatient(clinic: try gatewayID(clinic), person: person)))
    }
}
