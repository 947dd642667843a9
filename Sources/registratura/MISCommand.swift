import ArgumentParser
import Foundation
import Logging
import Booking
import MISBridge
import ReferenceMIS
import ServerLimits

/// `registratura mis …`: the reference MIS, a stand-in for a clinic's MIS speaking the same protocol.
struct MISCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mis",
        abstract: "The reference MIS: serve its protocol gateway or fill its database with a demo region.",
        subcommands: [Serve.self, Seed.self, Conformance.self, Holiday.self, CancelDay.self, Approvals.self, DeskCancel.self, DeskMove.self, Visit.self, AddPatient.self, People.self, Times.self, Appointments.self]
    )

    /// Options both subcommands share.
    struct Storage: ParsableArguments {
        @Option(name: .customLong("database"), help: "SQLite file of the reference MIS (default ./data/reference-mis.sqlite).")
        var databasePath = ProcessInfo.processInfo.environment["REGISTRATURA_MIS_DATABASE"] ?? "data/reference-mis.sqlite"
        @Option(help: "Patients in the demo region when the database is filled (default 20000).")
        var patients = 20_000
        @Option(help: "Seed of the demo region; the same seed gives the same region.")
        var seed: UInt64 = 2026
        @Option(name: .customLong("history-days"), help: "Days of past visits, no-shows and cancellations in the demo region (default 28; 0 for none).")
        var historyDays = 28
        @Option(name: .customLong("doctors-per-clinic"), help: "Doctors of each clinic in the demo region (default 10; more for a bigger region).")
        var doctorsPerClinic = 10

        func validate() throws {
            guard (0...366).contains(historyDays) else { throw ValidationError("--history-days takes 0 to 366") }
            guard (10...200).contains(doctorsPerClinic) else { throw ValidationError("--doctors-per-clinic takes 10 to 200") }
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the MIS protocol gateway; an empty database is filled with the demo region first.",
            discussion: "Keys can also come from REGISTRATURA_MIS_KEYS=id:secret,id2:secret2; the embedded default is registry:demo-secret."
        )

        @OptionGroup var storage: Storage
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on; 0 picks a free one.") var port = 8081
        @Option(name: .customLong("key"), help: "A caller's key as id:secret; repeatable.") var keys: [String] = []
        @Option(name: .customLong("allow"), help: "Answer only this client IP address; repeatable.") var allowedAddresses: [String] = []
        @Option(help: "Seconds a request head may take to arrive (also the idle time of a kept-alive connection); the body may take twice as long.")
        var requestHeadTimeout = 10
        @Option(help: "Connections one client address may keep open at once; 0 for no limit.") var connectionsPerAddress = 512

        func run() async throws {
            LoggingSystem.bootstrap { LineLogHandler(label: $0) }
            let logger = Logger(label: "reference-mis")
            var settings = GatewayServer.Settings()
            settings.host = host
            settings.port = port
            settings.databasePath = storage.databasePath
            settings.demoPatients = storage.patients
            settings.demoHistoryDays = storage.historyDays
            guard (1...600).contains(requestHeadTimeout), connectionsPerAddress >= 0 else {
                throw ValidationError("--request-head-timeout takes 1 to 600 seconds and --connections-per-address a number (0 for no limit)")
            }
            settings.connectionLimits = ConnectionLimits(requestHeadTimeout: .seconds(requestHeadTimeout), requestBodyTimeout: .seconds(2 * requestHeadTimeout), connectionsPerAddress: connectionsPerAddress)
            let keyText = keys.isEmpty ? (ProcessInfo.processInfo.environment["REGISTRATURA_MIS_KEYS"].map { $0.split(separator: ",").map(String.init) } ?? ["registry:demo-secret"]) : keys
            var parsed: [String: String] = [:]
            for key in keyText {
                let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw ValidationError("--key takes id:secret, not '\(key)'") }
                parsed[parts[0]] = parts[1]
            }
            settings.configuration = GatewayConfiguration(keys: parsed, allowedAddresses: allowedAddresses.isEmpty ? nil : Set(allowedAddresses))
            let shownHost = settings.host
            try await GatewayServer.run(settings, logger: logger) { port in
                FileHandle.standardOutput.write(Data("Reference MIS gateway at http://\(shownHost):\(port)/serverais\n".utf8))
            }
        }
    }

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fill an empty reference MIS database with the demo region, showing progress.")

        @OptionGroup var storage: Storage

        func run() async throws {
            let database = try MISDatabase.open(path: storage.databasePath)
            guard try database.isEmpty() else { throw ValidationError("\(storage.databasePath) already holds a region; remove it to seed again") }
            let started = Date()
            var region = DemoRegion(seed: storage.seed, patients: storage.patients) { done, total in
                let line = "\rpatients: \(done) of \(total) (\(done * 100 / max(total, 1))%)"
                FileHandle.standardError.write(Data(line.utf8))
            }
            region.doctorsPerClinic = storage.doctorsPerClinic
            try region.generate(into: database)
            let past = try DemoHistory(seed: storage.seed &+ 1, days: storage.historyDays).generate(into: ReferenceMIS(database: database), now: Date())
            try ReferenceMIS(database: database).openSchedule(now: Date())
            print("\nDemo region written to \(storage.databasePath) with \(past) past appointments in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
        }
    }

    struct Conformance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a MIS gateway against the protocol; prints PASS/FAIL/SKIP per check, exits 1 on any FAIL.",
            discussion: "Example: registratura mis conformance --url http://127.0.0.1:8081/serverais --key registry:demo-secret --policy <ЕНП> --birth-date 1980-01-31"
        )

        @Option(help: "The gateway URL.") var url: String
        @Option(help: "The key the gateway issued, as id:secret.") var key: String
        @Option(help: "A test patient's policy, for the booking checks.") var policy: String?
        @Option(name: .customLong("birth-date"), help: "The test patient's birth date, YYYY-MM-DD.") var birthDate: String?
        @Option(help: "The protocol's XML Schema.") var schema = "docs/mis-protocol.xsd"
        @Flag(help: "Check a registry's door for the federal portal (staff operations refused, reservations for a person's own data).") var federal = false

        func run() async throws {
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--key takes id:secret") }
            guard let validator = XMLSchemaValidator(path: schema) else { throw ValidationError("cannot read the schema at \(schema)") }
            let transport = HTTPClientTransport()
            let patient = policy.flatMap { policy in birthDate.map { (policy: policy, birthDate: $0) } }
            let check = ConformanceCheck(endpoint: MISEndpoint(id: "checked", url: url, keyID: parts[0], secret: parts[1]), transport: transport, schema: validator, testPatient: patient,
                                         profile: federal ? .federalDoor : .gateway)
            let results = await check.run()
            try await transport.shutdown()
            for result in results { print(result.line) }
            let failed = results.filter { $0.verdict == .fail }.count
            print("conformance: \(results.count - failed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode.failure }
        }
    }

    struct Holiday: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare a holiday in a clinic: bookings made through a registry that day are displaced until moved or cancelled, the desk's own cancelled (seen in GetChanges).")

        @OptionGroup var storage: Storage
        @Option(help: "Clinic id.") var clinic: String
        @Option(help: "Day, YYYY-MM-DD.") var day: String
        @Option(help: "Reason shown to patients.") var reason = "Праздничный день"

        func run() async throws {
            try ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)).declareHoliday(clinic: clinic, day: day, reason: reason, now: Date())
            print("Holiday declared in clinic \(clinic) on \(day).")
        }
    }

    struct CancelDay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel-day", abstract: "Cancel a doctor's day: bookings made through a registry are displaced until moved or cancelled, the desk's own cancelled (seen in GetChanges).")

        @OptionGroup var storage: Storage
        @Option(help: "Doctor id.") var doctor: String
        @Option(help: "Day, YYYY-MM-DD.") var day: String
        @Option(help: "Reason shown to patients.") var reason = "Приём врача отменён"

        func run() async throws {
            try ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)).cancelDoctorDay(doctor: doctor, day: day, reason: reason, now: Date())
            print("Day \(day) of doctor \(doctor) cancelled.")
        }
    }

    struct Approvals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Choose the channels whose bookings a clinic confirms before they become appointments (they are made as reservations).")

        @OptionGroup var storage: Storage
        @Option(help: "Clinic id.") var clinic: String
        @Option(help: "Channels, comma-separated (internet, kiosk, call-centre); empty for none.") var channels = ""

        func run() async throws {
            var chosen: [MISChannel] = []
            for name in channels.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let channel = MISChannel(rawValue: name) else { throw ValidationError("unknown channel «\(name)»") }
                chosen.append(channel)
            }
            try ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)).setApprovals(clinic: clinic, channels: chosen)
            print(chosen.isEmpty ? "Clinic \(clinic) approves no channel: every booking is an appointment at once."
                                 : "Clinic \(clinic) confirms bookings made through: \(chosen.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    struct DeskCancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "desk-cancel", abstract: "Cancel one appointment at the clinic's front desk (seen in GetChanges).")

        @OptionGroup var storage: Storage
        @Option(help: "Appointment id.") var appointment: String
        @Option(help: "Reason shown to the patient.") var reason = "Отменено в регистратуре"

        func run() async throws {
            try ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)).cancelAtDesk(appointment: appointment, reason: reason, now: Date())
            print("Appointment \(appointment) cancelled.")
        }
    }

    struct DeskMove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "desk-move", abstract: "Move one appointment to another free time of its doctor at the front desk (seen in GetChanges).")

        @OptionGroup var storage: Storage
        @Option(help: "Appointment id.") var appointment: String
        @Option(help: "Id of the doctor's free time to move it to.") var slot: String
        @Option(help: "Reason shown to the patient.") var reason = "Перенесено в регистратуре"

        func run() async throws {
            try ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)).moveAtDesk(appointment: appointment, toSlot: slot, reason: reason, now: Date())
            print("Appointment \(appointment) moved to time \(slot).")
        }
    }

    struct Visit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark how an appointment ended once its time has come: the patient came (visited) or did not (missed).")

        @OptionGroup var storage: Storage
        @Option(help: "Appointment id.") var appointment: String
        @Option(help: "visited or missed.") var outcome: String

        func validate() throws {
            guard outcome == "visited" || outcome == "missed" else { throw ValidationError("--outcome is visited or missed") }
        }

        func run() async throws {
            let marked = outcome == "visited" ? MISAppointmentStatus.visited : .missed
            try ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)).recordVisit(appointment: appointment, outcome: marked, now: Date())
            print("Appointment \(appointment) marked \(outcome).")
        }
    }

    struct AddPatient: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-patient", abstract: "Register a patient card and attach it to a clinic.")

        @OptionGroup var storage: Storage
        @Option(help: "Card id.") var id: String
        @Option(help: "Policy: 16 digits, or series and number.") var policy: String
        @Option(name: .customLong("birth-date"), help: "YYYY-MM-DD.") var birthDate: String
        @Option(name: .customLong("last-name")) var lastName: String
        @Option(name: .customLong("first-name")) var firstName: String
        @Option(name: .customLong("middle-name")) var middleName = ""
        @Option(help: "male or female.") var sex: String
        @Option(help: "Identity document number.") var document: String
        @Option(help: "Mobile phone, as the clinic writes it down.") var phone: String?
        @Option(help: "Clinic of attachment.") var clinic: String
        @Option(help: "District (участок) number.") var district = "1"

        func validate() throws {
            guard (try? PolicyNumber(parsing: policy)) != nil else { throw ValidationError("--policy is not a valid policy number") }
            guard ProtocolTime.isDay(birthDate) else { throw ValidationError("--birth-date must be YYYY-MM-DD") }
            guard sex == "male" || sex == "female" else { throw ValidationError("--sex is male or female") }
        }

        func run() async throws {
            let normalized = try PolicyNumber(parsing: policy).protocolValue
            try ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)).addPatient(
                id: id, policy: normalized, birthDate: birthDate, lastName: lastName, firstName: firstName, middleName: middleName,
                sex: sex, document: document, phone: phone, clinic: clinic, district: district
            )
            print("Patient \(id) added to clinic \(clinic).")
        }
    }

    struct People: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List demo people to try the registry with: policy, birth date as typed, attached clinic, district (tab-separated).",
            discussion: "With --referral, people holding an unused, valid referral of that clinic, and the referral's number and specialty."
        )

        @OptionGroup var storage: Storage
        @Option(help: "Clinic the people are attached to (or whose referral they hold).") var clinic = "101"
        @Flag(help: "People holding a valid referral of the clinic.") var referral = false
        @Option(help: "How many.") var count = 5
        @Option(help: "Skip this many of them first (they come in a stable order).") var skip = 0
        @Flag(help: "Also the keys a call centre finds them by: SNILS, identity document, surname, first name.") var keys = false

        func run() async throws {
            let guide = DemoGuide(ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)))
            if referral {
                for referral in try guide.referrals(clinic: clinic, expired: false, now: Date(), count: count) {
                    print([referral.holder.policy, referral.holder.typedBirthDate, referral.holder.attachedClinic ?? "", referral.holder.district ?? "",
                           referral.number, referral.specialty].joined(separator: "\t"))
                }
            } else {
                for person in try guide.people(.adult(of: clinic), count: count, skipping: skip) {
                    let keys = self.keys ? [person.snils ?? "", person.document, person.lastName, person.firstName] : []
                    print(([person.policy, person.typedBirthDate, person.attachedClinic ?? "", person.district ?? ""] + keys).joined(separator: "\t"))
                }
            }
        }
    }

    struct Times: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List free times nobody holds: slot id, doctor id, the clinic's day, start as Unix seconds (tab-separated), one doctor's after another's."
        )

        @OptionGroup var storage: Storage
        @Option(help: "Clinic id.") var clinic: String?
        @Option(help: "Specialty id (113 is a surgeon, open to every adult).") var specialty: String?
        @Option(help: "Doctor id.") var doctor: String?
        @Option(name: .customLong("hours-ahead"), help: "Only times starting at least this many hours from now.") var hoursAhead = 0.0
        @Option(help: "How many.") var count = 10

        func run() async throws {
            let guide = DemoGuide(ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)))
            let after = Date().addingTimeInterval(hoursAhead * 3_600)
            for time in try guide.freeTimes(clinic: clinic, specialty: specialty, doctor: doctor, after: after, byDoctor: true, count: count) {
                print([time.slot, time.doctor, time.day, String(Int(time.start.timeIntervalSince1970))].joined(separator: "\t"))
            }
        }
    }

    struct Appointments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say what became of times: for each slot given, one line with the slot id and the status of every appointment ever made on it (active, visited, missed, cancelled), oldest first."
        )

        @OptionGroup var storage: Storage
        @Argument(help: "Slot ids.") var slots: [String]

        func run() async throws {
            let guide = DemoGuide(ReferenceMIS(database: try MISDatabase.open(path: storage.databasePath)))
            for slot in slots {
                print(([slot] + (try guide.appointments(onSlot: slot)).map(\.rawValue)).joined(separator: "\t"))
            }
        }
    }
}
