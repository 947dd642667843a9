import Booking
import Foundation
import MISBridge
import Persistence

/// The call centre's search for a caller across every gateway of the region: by policy (ЕНП or an
/// old one), SNILS, passport, or surname + first name + birth date. People found in several
/// gateways are one caller (the same policy and birth date). Each search is a look at personal data:
/// the audit trail gets a line for the search (the kind of key and how many were shown — never the
/// key itself) and one per caller shown.
public struct CallerSearch: Sendable {
    let region: Region
    let audit: AuditTrail
    let database: any RegistryStore
    /// Searches one operator may make within `window`: a caller a minute and more, but not a
    /// harvest of the region's patients.
    public var searchesPerWindow = 60
    public var window: TimeInterval = 15 * 60

    public init(region: Region, audit: AuditTrail, database: any RegistryStore) {
        self.region = region
        self.audit = audit
        self.database = database
    }

    /// Too many searches by this operator lately.
    public struct Throttled: Error, Sendable {}

    /// What the operator typed, read as one key.
    public enum Key: Sendable, Equatable {
        case policy(PolicyNumber)
        case snils(SNILS)
        case passport(series: String, number: String)
        case name(lastName: String, firstName: String, birthDate: String)

        /// The kind of key, as the audit trail names it.
        public var kind: String {
            switch self {
            case .policy: "policy"
            case .snils: "snils"
            case .passport: "passport"
            case .name: "name"
            }
        }

        var query: MISPersonQuery {
            switch self {
            case .policy(let policy): .policy(policy.protocolValue)
            case .snils(let snils): .snils(snils.digits)
            case .passport(let series, let number): .document("\(series) \(number)")
            case .name(let lastName, let firstName, let birthDate): .name(lastName: lastName, firstName: firstName, birthDate: birthDate)
            }
        }
    }

    /// Which kind of number the operator says they typed; `any` lets the form tell by its shape.
    public enum NumberKind: String, Sendable, CaseIterable {
        case any, policy, snils, passport
    }

    /// Why the form does not make a key, in words an operator can act on.
    public enum KeyProblem: Error, Equatable, Sendable {
        case nothingGiven
        case policy(String)
        case snils(String)
        case passport
        case name(field: String, message: String)
    }

    /// Reads the operator's form: a number, or else surname, first name and birth date (as people say it).
    public static func key(number: String, kind: NumberKind, lastName: String, firstName: String, birthDate: String, today: String) -> Result<Key, KeyProblem> {
        let number = number.trimmingCharacters(in: .whitespaces)
        if !number.isEmpty { return numberKey(number, kind: kind) }
        let (last, first, birth) = (lastName.trimmingCharacters(in: .whitespaces), firstName.trimmingCharacters(in: .whitespaces), birthDate.trimmingCharacters(in: .whitespaces))
        if last.isEmpty && first.isEmpty && birth.isEmpty { return .failure(.nothingGiven) }
        guard !last.isEmpty, last.count <= 60 else { return .failure(.name(field: "lastName", message: "Укажите фамилию (или номер полиса, СНИЛС, паспорта).")) }
        guard !first.isEmpty, first.count <= 60 else { return .failure(.name(field: "firstName", message: "Укажите имя: по одной фамилии искать нельзя.")) }
        guard let day = BirthDate.parse(birth, today: today) else { return .failure(.name(field: "birthDate", message: "Укажите дату рождения, например 05.03.1984.")) }
        return .success(.name(lastName: last, firstName: first, birthDate: day))
    }

    private static func numberKey(_ number: String, kind: NumberKind) -> Result<Key, KeyProblem> {
        let digits = number.filter { !$0.isWhitespace && $0 != "-" && $0 != "№" }
        let kind = kind != .any ? kind : digits.allSatisfy(Self.isDigit) && digits.count == 11 ? .snils : digits.allSatisfy(Self.isDigit) && digits.count == 10 ? .passport : .policy
        switch kind {
        case .snils:
            do {
                return .success(.snils(try SNILS(parsing: number)))
            } catch .checksumMismatch {
                return .failure(.snils("В СНИЛС ошибка: контрольное число не сходится. Переспросите номер."))
            } catch {
                return .failure(.snils("СНИЛС — это 11 цифр, например 112-233-445 95."))
            }
        case .passport:
            guard digits.count == 10, digits.allSatisfy(Self.isDigit) else { return .failure(.passport) }
            return .success(.passport(series: String(digits.prefix(4)), number: String(digits.suffix(6))))
        case .policy, .any:
            do {
                return .success(.policy(try PolicyNumber(parsing: number)))
            } catch .checkDigitMismatch {
                return .failure(.policy("В номере полиса ошибка: последняя цифра не сходится с остальными. Переспросите номер."))
            } catch {
                return .failure(.policy("Это не похоже на номер полиса: нужен единый номер из 16 цифр или серия и номер старого полиса."))
            }
        }
    }

    private static func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }

    /// A caller found: the person as the first gateway that knows them tells it, with their cards
    /// in every gateway, and their stable key (the one the patient site keys them by).
    public struct Caller: Sendable, Equatable {
        public let person: MISPerson
        public let patientKey: String
    }

    /// What a search found.
    public struct Found: Sendable, Equatable {
        public let callers: [Caller]
        /// Some gateway found more than it sent: ask the caller for another key.
        public let more: Bool
        /// Gateways that did not answer (their clinics' patients may be missing).
        public let unanswered: Int
    }

    public func search(_ key: Key, by account: StaffAccount, address: String?, now: Date) async throws -> Found {
        // Every search counts (the throttling counters serve for this too), found or not.
        let counter = ["staff-search|" + account.id]
        guard try await database.failedAttempts(keys: counter, now: now, window: window)[0] < searchesPerWindow else {
            try await audit.record(.patientSearch, by: AuditTrail.actor(account), detail: "\(key.kind): refused, too many searches", address: address, now: now)
            throw Throttled()
        }
        try await database.recordFailedAttempt(keys: counter, now: now)
        let answers = await withTaskGroup(of: GatewayAnswer.self) { group in
            for client in region.clients {
                group.addTask {
                    do throws(MISFailure) {
                        return GatewayAnswer(people: try await client.searchPatients(key.query), failure: nil)
                    } catch {
                        return GatewayAnswer(people: nil, failure: error)
                    }
                }
            }
            var all: [GatewayAnswer] = []
            for await answer in group { all.append(answer) }
            return all
        }
        // The same person in two gateways (two vendors' MIS) is one caller with the cards of both;
        // two people one gateway lists (namesakes sharing a policy by a data error) stay two.
        var callers: [Caller] = []
        var gatewaysOf: [[Int]] = []
        for (gateway, answer) in answers.enumerated() {
            for person in answer.people?.people ?? [] {
                let key = Self.patientKey(person)
                if let index = callers.indices.first(where: { callers[$0].patientKey == key && !gatewaysOf[$0].contains(gateway) }) {
                    callers[index] = Caller(person: callers[index].person.adding(cardsOf: person), patientKey: key)
                    gatewaysOf[index].append(gateway)
                } else {
                    callers.append(Caller(person: person, patientKey: key))
                    gatewaysOf.append([gateway])
                }
            }
        }
        callers.sort { ($0.person.lastName, $0.person.firstName, $0.person.middleName, $0.person.birthDate) < ($1.person.lastName, $1.person.firstName, $1.person.middleName, $1.person.birthDate) }
        let found = Found(callers: callers, more: answers.contains { $0.people?.more == true }, unanswered: answers.filter { $0.people == nil }.count)
        let actor = AuditTrail.actor(account)
        try await audit.record(.patientSearch, by: actor, detail: "\(key.kind): \(callers.count) shown\(found.more ? ", more" : "")", address: address, now: now)
        for caller in callers {
            try await audit.record(.patientShown, by: actor, patientKey: caller.patientKey, detail: "search by \(key.kind)", address: address, now: now)
        }
        return found
    }

    /// The stable key of a person: their policy as the protocol carries it, with their birth date.
    public static func patientKey(_ person: MISPerson) -> String {
        patientKey(policy: person.policy, birthDate: person.birthDate)
    }

    /// The stable key of whoever holds `policy` (as typed or as a MIS writes it) and `birthDate`.
    public static func patientKey(policy: String, birthDate: String) -> String {
        AppDatabase.patientKey(policy: (try? PolicyNumber(parsing: policy))?.protocolValue ?? policy, birthDate: birthDate)
    }

    /// One gateway's answer (a plain struct crosses the task group).
    private struct GatewayAnswer: Sendable {
        let people: MISPeople?
        let failure: MISFailure?
    }
}

extension MISPerson {
    /// This person with `other`'s cards too (the same person as another gateway knows them).
    func adding(cardsOf other: MISPerson) -> MISPerson {
        MISPerson(policy: policy, lastName: lastName, firstName: firstName, middleName: middleName, birthDate: birthDate, sex: sex, address: address,
                  maskedDocument: maskedDocument, attachedClinicID: attachedClinicID ?? other.attachedClinicID, attachedDistrict: attachedDistrict ?? other.attachedDistrict,
                  cards: cards + other.cards, dispensarySpecialtyIDs: Array(Set(dispensarySpecialtyIDs + other.dispensarySpecialtyIDs)).sorted())
    }
}

extension CallerSearch.Caller {
    /// The caller as the operator's session keeps them: no policy, no document in clear.
    public var record: CallerRecord {
        CallerRecord(key: patientKey, lastName: person.lastName, firstName: person.firstName, middleName: person.middleName, birthDate: person.birthDate,
                     sex: person.sex, address: person.address, maskedDocument: person.maskedDocument, attachedClinicID: person.attachedClinicID,
                     attachedDistrict: person.attachedDistrict, cards: Dictionary(person.cards.map { ($0.clinic, $0.patientID) }, uniquingKeysWith: { first, _ in first }),
                     dispensarySpecialtyIDs: person.dispensarySpecialtyIDs)
    }
}

extension CallerRecord {
    /// The caller as the booking desk takes a patient: their key, cards and registrations.
    public var identified: IdentifiedPatient {
        IdentifiedPatient(key: key, displayName: fullName, birthDate: birthDate, cards: cards.mapValues { patientID in
            ClinicCard(patientID: patientID, attachedClinicID: attachedClinicID, attachedDistrict: attachedDistrict, dispensarySpecialtyIDs: dispensarySpecialtyIDs)
        })
    }
}
