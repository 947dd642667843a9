import Foundation

// Each message writes itself into an answer (gateway side) and reads itself back (bridge side).
// Instants are written in the clinic's zone; any offset is read.

extension MISDistrict {
    public func write(into writer: inout XMLWriter) {
        writer.empty("district", ["id": id, "name": name, "okato": okato])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISDistrict {
        MISDistrict(id: try fields.identifier("id"), name: try fields.string("name"), okato: try fields.string("okato", maximumLength: AnswerLimits.identifier))
    }
}

extension MISClinic {
    public func write(into writer: inout XMLWriter) {
        writer.empty("clinic", [
            "id": id, "district": districtID, "fullName": fullName, "shortName": shortName, "address": address,
            "phone": phone, "oid": oid, "timeZone": timeZone, "approves": approves.isEmpty ? nil : approves.map(\.rawValue).joined(separator: " "),
        ])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISClinic {
        let zone = try fields.string("timeZone", maximumLength: AnswerLimits.identifier)
        guard TimeZone(identifier: zone) != nil else { throw MISFailure(.badAnswer, detail: "<clinic> timeZone is not a known zone") }
        return MISClinic(
            id: try fields.identifier("id"), districtID: try fields.identifier("district"), fullName: try fields.string("fullName"),
            shortName: try fields.string("shortName"), address: try fields.string("address"), phone: try fields.string("phone", maximumLength: AnswerLimits.identifier),
            oid: try fields.string("oid", maximumLength: 128), timeZone: zone,
            approves: try fields.optional("approves", maximumLength: AnswerLimits.identifier * 4).map { list throws(MISFailure) in
                var channels: [MISChannel] = []
                for name in list.split(separator: " ") {
                    guard let channel = MISChannel(rawValue: String(name)) else { throw MISFailure(.badAnswer, detail: "<clinic> approves an unknown channel") }
                    channels.append(channel)
                }
                return channels
            } ?? []
        )
    }
}

extension MISSpecialty {
    public func write(into writer: inout XMLWriter) {
        writer.empty("specialty", [
            "id": id, "name": name, "federalCode": federalCode, "freeCount": String(freeCount), "nearestDate": nearestDate,
            "lastDate": lastDate, "selfBooking": selfBooking.rawValue, "minAge": minimumAge.map(String.init), "maxAge": maximumAge.map(String.init),
            "attachedOnly": attachedOnly ? "true" : nil,
        ])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISSpecialty {
        MISSpecialty(
            id: try fields.identifier("id"), name: try fields.string("name"), federalCode: try fields.identifier("federalCode"),
            freeCount: try fields.int("freeCount"), nearestDate: try fields.day("nearestDate"), lastDate: try fields.day("lastDate"),
            selfBooking: try fields.enumeration("selfBooking", as: MISSelfBooking.self),
            minimumAge: try fields.optionalInt("minAge", maximum: AnswerLimits.age), maximumAge: try fields.optionalInt("maxAge", maximum: AnswerLimits.age),
            attachedOnly: try fields.flag("attachedOnly")
        )
    }
}

extension MISDoctor {
    public func write(into writer: inout XMLWriter) {
        writer.empty("doctor", [
            "id": id, "name": name, "specialty": specialtyID, "district": district, "room": room, "freeCount": String(freeCount),
            "nearestDate": nearestDate, "lastDate": lastDate,
        ])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISDoctor {
        MISDoctor(
            id: try fields.identifier("id"), name: try fields.string("name"), specialtyID: try fields.identifier("specialty"),
            district: try fields.optionalIdentifier("district"), room: try fields.string("room", maximumLength: AnswerLimits.identifier), freeCount: try fields.int("freeCount"),
            nearestDate: try fields.day("nearestDate"), lastDate: try fields.day("lastDate")
        )
    }
}

extension MISAvailableDate {
    public func write(into writer: inout XMLWriter) {
        writer.empty("date", ["day": day, "freeCount": String(freeCount)])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISAvailableDate {
        guard let day = try fields.day("day") else { throw MISFailure(.badAnswer, detail: "<date> lacks day") }
        return MISAvailableDate(day: day, freeCount: try fields.int("freeCount"))
    }
}

extension MISSlot {
    public func write(into writer: inout XMLWriter, zone: TimeZone) {
        writer.empty("slot", [
            "id": id, "start": ProtocolTime.string(start, in: zone), "end": ProtocolTime.string(end, in: zone), "room": room, "address": address,
        ])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISSlot {
        MISSlot(id: try fields.identifier("id"), start: try fields.date("start"), end: try fields.date("end"), room: try fields.string("room", maximumLength: AnswerLimits.identifier), address: try fields.string("address"))
    }
}

extension MISPatient {
    /// `clinic` names the clinic the card belongs to in a gateway-wide answer (`<patients>`).
    public func write(into writer: inout XMLWriter, clinic: String? = nil) {
        writer.start("patient", [
            "clinic": clinic, "id": id, "lastName": lastName, "firstName": firstName, "middleName": middleName, "birthDate": birthDate, "sex": sex,
            "attachedClinic": attachedClinicID, "attachedDistrict": attachedDistrict,
        ])
        for specialty in dispensarySpecialtyIDs { writer.empty("dispensary", ["specialty": specialty]) }
        writer.end()
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISPatient {
        guard let birthDate = try fields.day("birthDate") else { throw MISFailure(.badAnswer, detail: "<patient> lacks birthDate") }
        return MISPatient(
            id: try fields.identifier("id"), lastName: try fields.string("lastName"), firstName: try fields.string("firstName"),
            middleName: try fields.string("middleName"), birthDate: birthDate, sex: try fields.string("sex", maximumLength: 8),
            attachedClinicID: try fields.optionalIdentifier("attachedClinic"), attachedDistrict: try fields.optionalIdentifier("attachedDistrict"),
            dispensarySpecialtyIDs: try fields.list("dispensary") { item throws(MISFailure) in try item.identifier("specialty") }
        )
    }
}

extension MISPerson {
    public func write(into writer: inout XMLWriter) {
        writer.start("person", [
            "policy": policy, "lastName": lastName, "firstName": firstName, "middleName": middleName, "birthDate": birthDate, "sex": sex,
            "address": address, "document": maskedDocument, "attachedClinic": attachedClinicID, "attachedDistrict": attachedDistrict,
        ])
        for card in cards { writer.empty("card", ["clinic": card.clinic, "patient": card.patientID]) }
        for specialty in dispensarySpecialtyIDs { writer.empty("dispensary", ["specialty": specialty]) }
        writer.end()
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISPerson {
        guard let birthDate = try fields.day("birthDate") else { throw MISFailure(.badAnswer, detail: "<person> lacks birthDate") }
        return MISPerson(
            policy: try fields.string("policy", maximumLength: 32), lastName: try fields.string("lastName"), firstName: try fields.string("firstName"),
            middleName: try fields.string("middleName"), birthDate: birthDate, sex: try fields.string("sex", maximumLength: 8), address: try fields.string("address"),
            maskedDocument: try fields.string("document", maximumLength: 32), attachedClinicID: try fields.optionalIdentifier("attachedClinic"),
            attachedDistrict: try fields.optionalIdentifier("attachedDistrict"),
            cards: try fields.list("card") { card throws(MISFailure) in MISPersonCard(clinic: try card.identifier("clinic"), patientID: try card.identifier("patient")) },
            dispensarySpecialtyIDs: try fields.list("dispensary") { item throws(MISFailure) in try item.identifier("specialty") }
        )
    }
}

extension MISAppointment {
    public func write(into writer: inout XMLWriter, zone: TimeZone) {
        writer.empty("appointment", [
            "id": id, "ticket": ticket, "clinic": clinicID, "slot": slotID, "doctor": doctorID, "doctorName": doctorName,
            "specialty": specialtyID, "specialtyName": specialtyName, "start": ProtocolTime.string(start, in: zone),
            "end": ProtocolTime.string(end, in: zone), "room": room, "status": status.rawValue, "channel": channel.rawValue,
            "cancelledBy": cancelledBy?.rawValue, "cancelReason": cancelReason, "actor": actor, "cancelledActor": cancelledActor,
            "patient": patientID, "refusal": refusal?.rawValue,
        ])
    }

    /// What identifies the appointment (ids, times, status) must be right; what only describes it
    /// (names, room, reason, actors) is left out when outside the limits, like the ticket: the
    /// appointment exists in the MIS all the same, and refusing the answer would strand it.
    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISAppointment {
        MISAppointment(
            id: try fields.identifier("id"), ticket: Self.ticket(fields), clinicID: try fields.identifier("clinic"),
            slotID: try fields.identifier("slot"), doctorID: try fields.identifier("doctor"), doctorName: fields.described("doctorName") ?? "",
            specialtyID: try fields.identifier("specialty"), specialtyName: fields.described("specialtyName") ?? "",
            start: try fields.date("start"), end: try fields.date("end"), room: fields.described("room", maximumLength: AnswerLimits.identifier) ?? "",
            status: try fields.enumeration("status", as: MISAppointmentStatus.self),
            channel: try fields.enumeration("channel", as: MISChannel.self),
            cancelledBy: fields.described("cancelledBy", maximumLength: 32).flatMap(MISChannel.init(rawValue:)),
            cancelReason: fields.described("cancelReason"),
            actor: fields.described("actor", maximumLength: 64), cancelledActor: fields.described("cancelledActor", maximumLength: 64),
            patientID: try fields.optionalIdentifier("patient"),
            refusal: fields.described("refusal", maximumLength: 32).flatMap(MISRefusalReason.init(rawValue:))
        )
    }

    /// The ticket number, if it is one a patient can read out (1 to 32 letters, digits, spaces, `-/.`).
    /// Any other value is left out rather than refusing the answer: the appointment exists in the MIS
    /// all the same, and the clinic's desk finds it without the number.
    private static func ticket(_ fields: AnswerFields) -> String? {
        guard let value = fields.node.attribute("ticket"), AnswerLimits.isTicket(value) else { return nil }
        return value
    }
}

extension MISChange {
    public func write(into writer: inout XMLWriter, zone: TimeZone) {
        writer.empty("change", [
            "sequence": String(sequence), "kind": kind.rawValue, "appointment": appointmentID, "patient": patientID,
            "previousStart": ProtocolTime.string(previousStart, in: zone), "newStart": newStart.map { ProtocolTime.string($0, in: zone) },
            "at": ProtocolTime.string(at, in: zone), "reason": reason, "by": by?.rawValue, "newAppointment": newAppointmentID,
            "refusal": refusal?.rawValue,
        ])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISChange {
        MISChange(
            sequence: try fields.int("sequence"), kind: try fields.enumeration("kind", as: MISChange.Kind.self),
            appointmentID: try fields.identifier("appointment"), patientID: try fields.optionalIdentifier("patient"),
            previousStart: try fields.date("previousStart"), newStart: try fields.optionalDate("newStart"),
            at: try fields.date("at"), reason: try fields.optional("reason"),
            by: try fields.optional("by", maximumLength: 32).flatMap(MISChannel.init(rawValue:)),
            newAppointmentID: try fields.optionalIdentifier("newAppointment"),
            refusal: fields.described("refusal", maximumLength: 32).flatMap(MISRefusalReason.init(rawValue:))
        )
    }
}

extension MISReferral {
    public func write(into writer: inout XMLWriter) {
        writer.empty("referral", ["number": number, "specialty": specialtyID, "validUntil": validUntil, "status": status.rawValue, "issuedBy": issuedBy])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISReferral {
        guard let validUntil = try fields.day("validUntil") else { throw MISFailure(.badAnswer, detail: "<referral> lacks validUntil") }
        return MISReferral(
            number: try fields.identifier("number"), specialtyID: try fields.identifier("specialty"), validUntil: validUntil,
            status: try fields.enumeration("status", as: MISReferral.Status.self), issuedBy: try fields.identifier("issuedBy")
        )
    }
}

/// Reads the payload of each operation's answer into typed values.
public enum MISAnswer {
    public static func version(_ payload: XMLElementView) throws(MISFailure) -> MISGatewayVersion {
        let fields = try expect(payload, "version")
        return MISGatewayVersion(protocolVersion: try fields.int("protocol"), implementation: try fields.string("implementation", maximumLength: 128), time: try fields.date("time"))
    }

    public static func districts(_ payload: XMLElementView) throws(MISFailure) -> [MISDistrict] {
        try expect(payload, "districts").list("district", MISDistrict.read)
    }

    public static func clinics(_ payload: XMLElementView) throws(MISFailure) -> [MISClinic] {
        try expect(payload, "clinics").list("clinic", MISClinic.read)
    }

    public static func specialties(_ payload: XMLElementView) throws(MISFailure) -> [MISSpecialty] {
        try expect(payload, "specialties").list("specialty", MISSpecialty.read)
    }

    public static func doctors(_ payload: XMLElementView) throws(MISFailure) -> [MISDoctor] {
        try expect(payload, "doctors").list("doctor", MISDoctor.read)
    }

    public static func dates(_ payload: XMLElementView) throws(MISFailure) -> [MISAvailableDate] {
        try expect(payload, "dates").list("date", MISAvailableDate.read)
    }

    public static func slots(_ payload: XMLElementView) throws(MISFailure) -> [MISSlot] {
        try expect(payload, "slots").list("slot", MISSlot.read)
    }

    public static func patient(_ payload: XMLElementView) throws(MISFailure) -> MISPatient {
        try MISPatient.read(try expect(payload, "patient"))
    }

    /// A gateway-wide CheckPatient answer: the patient's card in each clinic of the gateway.
    public static func patientCards(_ payload: XMLElementView) throws(MISFailure) -> [MISClinicCard] {
        try expect(payload, "patients").list("patient") { fields throws(MISFailure) in
            MISClinicCard(clinic: try fields.identifier("clinic"), patient: try MISPatient.read(fields))
        }
    }

    /// A SearchPatients answer: at most `MISPeople.limit` people (more is a bad answer), and whether more matched.
    public static func people(_ payload: XMLElementView) throws(MISFailure) -> MISPeople {
        let fields = try expect(payload, "people")
        let people = try fields.list("person", MISPerson.read)
        guard people.count <= MISPeople.limit else { throw MISFailure(.badAnswer, detail: "<people> holds \(people.count) people, more than \(MISPeople.limit)") }
        return MISPeople(people: people, more: try fields.flag("more"))
    }

    public static func appointment(_ payload: XMLElementView) throws(MISFailure) -> MISAppointment {
        try MISAppointment.read(try expect(payload, "appointment"))
    }

    public static func appointments(_ payload: XMLElementView) throws(MISFailure) -> [MISAppointment] {
        try expect(payload, "appointments").list("appointment", MISAppointment.read)
    }

    public static func changes(_ payload: XMLElementView) throws(MISFailure) -> MISChangeBatch {
        let fields = try expect(payload, "changes")
        return MISChangeBatch(cursor: try fields.identifier("cursor"), changes: try fields.list("change", MISChange.read))
    }

    public static func schedule(_ payload: XMLElementView) throws(MISFailure) -> MISSchedule {
        try MISSchedule.read(try expect(payload, "schedule"))
    }

    public static func referral(_ payload: XMLElementView) throws(MISFailure) -> MISReferral {
        try MISReferral.read(try expect(payload, "referral"))
    }

    private static func expect(_ payload: XMLElementView, _ name: String) throws(MISFailure) -> AnswerFields {
        guard payload.name == name else { throw MISFailure(.badAnswer, detail: "expected <\(name)>, found <\(payload.name)>") }
        return AnswerFields(node: payload)
    }
}
