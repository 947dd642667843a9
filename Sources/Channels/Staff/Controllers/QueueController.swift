import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// A clinic's queue for its registrars: reservations to confirm or refuse, bookings a closed day
/// displaced to move or cancel. Decisions only by POST; each answered by the clinic's MIS, which
/// lets exactly one of two registrars act, and audited (`ReservationDesk`).
struct QueueController {
    let pages: PageRenderer
    let desk: ReservationDesk
    let rules: BookingRules
    let access: ClinicPageAccess
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(StaffRoute.queue(clinic: .parameter("clinic")).pattern) { request, context in try await list(request, context) }
        let entry = StaffRoute.queueEntry(clinic: .parameter("clinic"), appointment: .parameter("appointment"))
        group.get(entry.pattern) { request, context in try await show(request, context) }
        group.post(StaffRoute.queueConfirm(clinic: .parameter("clinic"), appointment: .parameter("appointment")).pattern) { request, context in
            try await decide(.confirm, request, context)
        }
        group.post(StaffRoute.queueRefuse(clinic: .parameter("clinic"), appointment: .parameter("appointment")).pattern) { request, context in
            try await decide(.refuse, request, context)
        }
        group.post(StaffRoute.queueMove(clinic: .parameter("clinic"), appointment: .parameter("appointment")).pattern) { request, context in
            try await decide(.move, request, context)
        }
    }

    /// The decisions a registrar posts.
    private enum Decision { case confirm, refuse, move }

    private func list(_ request: Request, _ context: StaffContext, problem: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let now = self.now()
        let clinic: String
        switch try await access.open(request, context, now: now) {
        case .success(let opened): clinic = opened.clinic.id
        case .failure(let refused): return refused.response
        }
        let queue = try await answer { () throws(ReservationDesk.Outcome) in
            try await desk.queue(clinic: clinic, by: context.staff.account, address: context.remoteAddress, now: now)
        }
        let done = problem == nil ? request.uri.queryParameters["done"].map(String.init) : nil
        let page = QueuePage(queue: queue, done: done, problem: problem, now: now)
        return try pages.render("pages/staff/queue", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func show(_ request: Request, _ context: StaffContext, reason: MISRefusalReason? = nil, text: String = "", problem: String? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let now = self.now()
        let clinic: MISClinic
        switch try await access.open(request, context, now: now) {
        case .success(let opened): clinic = opened.clinic
        case .failure(let refused): return refused.response
        }
        let appointment = try context.parameters.require("appointment")
        let (_, reservation) = try await answer { () throws(ReservationDesk.Outcome) in
            try await desk.reservation(clinic: clinic.id, appointment: appointment, by: context.staff.account, address: context.remoteAddress, now: now)
        }
        let displaced = reservation.appointment.status == .displaced
        let candidates = displaced ? [] : try await answer { () throws(ReservationDesk.Outcome) in try await desk.candidates(for: reservation.person, clinic: clinic.id) }
        let freeTimes = displaced ? try await answer { () throws(ReservationDesk.Outcome) in
            try await desk.freeTimes(clinic: clinic.id, specialty: reservation.appointment.specialtyID, rules: rules, now: now)
        } : []
        let page = QueueEntryPage(clinic: clinic, reservation: reservation, candidates: candidates, freeTimes: freeTimes, chosenReason: reason, text: text,
                                  problem: problem, now: now, csrfToken: context.staff.csrfToken)
        return try pages.render("pages/staff/queue-entry", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func decide(_ decision: Decision, _ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let now = self.now()
        let clinic: String
        switch try await access.open(request, context, now: now) {
        case .success(let opened): clinic = opened.clinic.id
        case .failure(let refused): return refused.response
        }
        let appointment = try context.parameters.require("appointment")
        let (account, address) = (context.staff.account, context.remoteAddress)
        let done: String
        do {
            switch decision {
            case .confirm:
                if form["create"] == "1" {
                    let (_, reservation) = try await desk.reservation(clinic: clinic, appointment: appointment, by: account, address: address, now: now)
                    _ = try await desk.confirm(clinic: clinic, appointment: appointment, patient: nil, createCardFor: reservation.person, by: account, address: address, now: now)
                } else {
                    guard let card = form["patient"], (1...64).contains(card.count) else {
                        return try await show(request, context, problem: "Выберите карту пациента или создайте новую.", status: .unprocessableContent)
                    }
                    _ = try await desk.confirm(clinic: clinic, appointment: appointment, patient: card, createCardFor: nil, by: account, address: address, now: now)
                }
                done = "confirmed"
            case .refuse:
                let text = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard let reason = form["reason"].flatMap(MISRefusalReason.init(rawValue:)) else {
                    return try await show(request, context, text: text, problem: "Выберите причину отказа.", status: .unprocessableContent)
                }
                guard text.count <= 500, !text.contains(where: { $0.isNewline && $0 != "\n" }) else {
                    return try await show(request, context, reason: reason, text: String(text.prefix(500)), problem: "Сообщение пациенту — не длиннее 500 знаков.", status: .unprocessableContent)
                }
                let refused = try await desk.refuse(clinic: clinic, appointment: appointment, reason: reason, text: text.isEmpty ? nil : text.replacingOccurrences(of: "\n", with: " "),
                                                    by: account, address: address, now: now)
                done = refused.refusal != nil && form["displaced"] == "1" ? "cancelled" : "refused"
            case .move:
                guard let slot = form["slot"], (1...64).contains(slot.count) else {
                    return try await show(request, context, problem: "Выберите новое время.", status: .unprocessableContent)
                }
                _ = try await desk.move(clinic: clinic, appointment: appointment, to: slot, by: account, address: address, now: now)
                done = "moved"
            }
        } catch let outcome as ReservationDesk.Outcome {
            switch outcome {
            case .alreadyDecided(let what):
                return try await list(request, context, problem: "Эту запись уже решили, ничего не изменено: \(what.prefix(1).lowercased() + what.dropFirst()).", status: .conflict)
            case .refused(_, let why):
                return try await show(request, context, problem: "МИС поликлиники не приняла решение: \(why)", status: .conflict)
            case .notFound: throw HTTPError(.notFound)
            case .unavailable: throw HTTPError(.serviceUnavailable)
            }
        }
        return .redirect(to: StaffRoute.queue(clinic: clinic, done: done).path)
    }

    /// A desk call for a page: not there is 404, an outage 503 (the error pages say what to do).
    private func answer<T>(_ body: () async throws(ReservationDesk.Outcome) -> T) async throws -> T {
        do {
            return try await body()
        } catch .unavailable {
            throw HTTPError(.serviceUnavailable)
        } catch {
            throw HTTPError(.notFound)
        }
    }
}
