// libFuzzer harness: the hardened XML reader and every answer decoder of the MIS protocol. Built by
// scripts/fuzz.

let reader = XMLReader()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for operation in MISOperation.allCases {
        guard let payload = try? MISResponse.payload(of: bytes, for: operation, reader: reader) else { continue }
        _ = try? MISAnswer.version(payload)
        _ = try? MISAnswer.districts(payload)
        _ = try? MISAnswer.clinics(payload)
        _ = try? MISAnswer.specialties(payload)
        _ = try? MISAnswer.doctors(payload)
        _ = try? MISAnswer.dates(payload)
        _ = try? MISAnswer.slots(payload)
        _ = try? MISAnswer.patient(payload)
        _ = try? MISAnswer.patientCards(payload)
        if let appointment = try? MISAnswer.appointment(payload), let ticket = appointment.ticket {
            precondition(AnswerLimits.isTicket(ticket), "an unreadable ticket got through")
        }
        _ = try? MISAnswer.appointments(payload)
        _ = try? MISAnswer.changes(payload)
        if let schedule = try? MISAnswer.schedule(payload) {
            for slot in schedule.doctors.flatMap(\.slots) {
                precondition(slot.start < slot.end, "a slot ending before it starts got through")
                precondition(slot.bookings.filter { $0.status != .cancelled }.count == (slot.state == .booked ? 1 : 0), "a slot's state disagrees with its bookings")
            }
        }
    }
    return 0
}
