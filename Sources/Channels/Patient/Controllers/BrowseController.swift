import Booking
import Foundation
import Hummingbird
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// Browsing without identification: district → clinic → specialty → doctor → free times.
struct BrowseController {
    let pages: PageRenderer
    let region: Region
    /// The rules whose lead time and horizon decide which free times are offered (the desk's own).
    let rules: BookingRules
    /// The clock the rules read (tests set it).
    let now: @Sendable () -> Date
    /// Doctor pages for visitors who are not signed in, kept while the free times they show are current.
    var keptDoctorPages = KeptDoctorPages()

    func addRoutes(to router: RouterGroup<PatientRequestContext>) {
        router.get(SiteRoute.districts.pattern) { _, context in try await districts(for: context.viewer) }
        router.get(SiteRoute.district(.parameter("district")).pattern) { _, context in try await district(try context.parameters.require("district"), for: context.viewer) }
        router.get(SiteRoute.clinic(.parameter("clinic")).pattern) { _, context in try await clinic(try context.parameters.require("clinic"), patient: context.session?.patient, for: context.viewer) }
        router.get(SiteRoute.specialty(clinic: .parameter("clinic"), specialty: .parameter("specialty")).pattern) { _, context in
            try await specialty(clinic: try context.parameters.require("clinic"), specialty: try context.parameters.require("specialty"), patient: context.session?.patient, for: context.viewer)
        }
        router.get(SiteRoute.doctor(clinic: .parameter("clinic"), doctor: .parameter("doctor")).pattern) { request, context in
            try await keptOrBuilt(request, context) { path in
                try await doctor(clinic: try context.parameters.require("clinic"), doctor: try context.parameters.require("doctor"), keepAt: path, for: context.viewer)
            }
        }
        router.get(SiteRoute.day(clinic: .parameter("clinic"), doctor: .parameter("doctor"), day: .parameter("day")).pattern) { request, context in
            try await keptOrBuilt(request, context) { path in
                try await day(try context.parameters.require("day"), clinic: try context.parameters.require("clinic"), doctor: try context.parameters.require("doctor"), keepAt: path, for: context.viewer)
            }
        }
    }

    /// The page kept for visitors who are not signed in (they all see the same one; a signed-in
    /// patient's names them), or `build` it, told where to keep it when it may be kept.
    private func keptOrBuilt(_ request: Request, _ context: PatientRequestContext, _ build: (String?) async throws -> Response) async throws -> Response {
        let keep = context.session?.patient == nil
        if keep, let kept = keptDoctorPages.response(for: request.uri.path) { return kept }
        return try await build(keep ? request.uri.path : nil)
    }

    static let start = Crumb(title: "Главная", url: SiteRoute.home.path)
    private static let allDistricts = Crumb(title: "Районы", url: SiteRoute.districts.path)

    func districts(for viewer: PageViewer) async throws -> Response {
        let districts = try await misForPage { () throws(MISFailure) in try await region.districts() }
        let items = districts.map { ListItem(title: $0.name, url: SiteRoute.district($0.id).path) }
        return try pages.render("pages/patient/list", for: viewer, page: BrowsePage(
            title: "Выберите район", lead: "Поликлиники сгруппированы по районам.", crumbs: [Self.start], items: items, emptyText: "Районы пока не загружены."
        ))
    }

    func district(_ id: String, for viewer: PageViewer) async throws -> Response {
        let districts = try await misForPage { () throws(MISFailure) in try await region.districts() }
        guard let district = districts.first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        let clinics = try await misForPage { () throws(MISFailure) in try await region.clinics(district: id) }
        let items = clinics.map { ListItem(title: $0.clinic.shortName, url: SiteRoute.clinic($0.clinic.id).path, details: [$0.clinic.fullName, $0.clinic.address, "тел. " + $0.clinic.phone]) }
        return try pages.render("pages/patient/list", for: viewer, page: BrowsePage(
            title: district.name, lead: "Выберите поликлинику.", crumbs: [Self.start, Self.allDistricts], items: items, emptyText: "В этом районе нет поликлиник, подключённых к записи."
        ))
    }

    func clinic(_ id: String, patient: IdentifiedPatient?, for viewer: PageViewer) async throws -> Response {
        let (clinic, client) = try await findClinic(id)
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let specialties = try await misForPage { () throws(MISFailure) in try await client.specialties(clinic: id) }
        let today = BookingRules.day(now(), IdentifyController.regionZone)
        let items = specialties.map { specialty in
            ListItem(
                title: specialty.name, url: SiteRoute.specialty(clinic: id, specialty: specialty.id).path, freeCount: specialty.freeCount,
                nearest: specialty.nearestDate.flatMap { Self.midday($0, zone) }, note: Self.accessNote(specialty, clinic: id, patient: patient, today: today), timeZone: clinic.timeZone
            )
        }
        return try pages.render("pages/patient/list", for: viewer, page: BrowsePage(
            title: clinic.shortName, lead: "Выберите специальность врача.", crumbs: [Self.start, Self.allDistricts, await districtCrumb(of: clinic)],
            clinic: clinic, items: items, emptyText: "Расписание этой поликлиники пока не опубликовано."
        ))
    }

    func specialty(clinic id: String, specialty specialtyID: String, patient: IdentifiedPatient?, for viewer: PageViewer) async throws -> Response {
        let (clinic, client) = try await findClinic(id)
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let specialties = try await misForPage { () throws(MISFailure) in try await client.specialties(clinic: id) }
        guard let specialty = specialties.first(where: { $0.id == specialtyID }) else { throw HTTPError(.notFound) }
        let doctors = try await misForPage { () throws(MISFailure) in try await client.doctors(clinic: id, specialty: specialtyID) }
        let items = doctors.map { doctor in
            ListItem(
                title: doctor.name, url: SiteRoute.doctor(clinic: id, doctor: doctor.id).path,
                details: ["кабинет \(doctor.room)"] + (doctor.district.map { ["участок № \($0)"] } ?? []),
                freeCount: doctor.freeCount, nearest: doctor.nearestDate.flatMap { Self.midday($0, zone) },
                note: Self.doctorNote(doctor, clinic: id, patient: patient), timeZone: clinic.timeZone
            )
        }
        return try pages.render("pages/patient/list", for: viewer, page: BrowsePage(
            title: specialty.name, lead: Self.accessNote(specialty, clinic: id, patient: patient, today: BookingRules.day(now(), IdentifyController.regionZone)) ?? "Выберите врача.",
            crumbs: [Self.start, Self.allDistricts, await districtCrumb(of: clinic), Crumb(title: clinic.shortName, url: SiteRoute.clinic(id).path)],
            clinic: clinic, items: items, emptyText: "Врачей этой специальности в расписании нет.",
            waitlistURL: SiteRoute.waitlistNew(clinic: id, specialty: specialtyID).path
        ))
    }

    /// A doctor's page: the days of the next two weeks with free times; `keepAt` keeps it for other visitors under that path.
    func doctor(clinic id: String, doctor doctorID: String, keepAt path: String?, for viewer: PageViewer) async throws -> Response {
        let schedule = try await freeDays(clinic: id, doctor: doctorID)
        let page = DoctorPage(doctor: schedule.doctor, crumbs: await crumbs(to: schedule.doctor), days: schedule.days)
        return try respond("pages/patient/doctor", page: page, schedule: schedule, keepAt: path, for: viewer)
    }

    /// One day of the doctor's free times (`YYYY-MM-DD` within the next two weeks), with the free days around it.
    func day(_ key: String, clinic id: String, doctor doctorID: String, keepAt path: String?, for viewer: PageViewer) async throws -> Response {
        guard ProtocolTime.isDay(key) else { throw HTTPError(.notFound) }
        let schedule = try await freeDays(clinic: id, doctor: doctorID)
        guard schedule.from <= key, key <= schedule.to, let date = Self.midday(key, schedule.zone) else { throw HTTPError(.notFound) }
        let page = DayPage(
            doctor: schedule.doctor, crumbs: await crumbs(to: schedule.doctor) + [Crumb(title: schedule.doctor.doctor.name, url: SiteRoute.doctor(clinic: id, doctor: doctorID).path)],
            date: date, free: schedule.days.first { $0.key == key },
            previous: schedule.days.last { $0.key < key }, next: schedule.days.first { $0.key > key },
            dayTitle: DayName.capitalized(date, in: schedule.zone, now: now())
        )
        return try respond("pages/patient/day", page: page, schedule: schedule, keepAt: path, for: viewer)
    }

    /// A doctor's free times up to the horizon, grouped by the clinic's days, and how current they are.
    private struct Schedule {
        let doctor: DoctorFields
        let zone: TimeZone
        let from: String
        let to: String
        let days: [FreeDay]
        let stamp: FreeTimesStamp
    }

    private func freeDays(clinic id: String, doctor doctorID: String) async throws -> Schedule {
        let now = self.now()
        let found = try await misForPage { () throws(MISFailure) in try await DoctorSchedule.find(clinic: id, doctor: doctorID, in: region, rules: rules, now: now) }
        guard let schedule = found else { throw HTTPError(.notFound) }
        let days = schedule.days.map {
            FreeDay(key: $0.key, day: $0.midday, times: $0.times, url: SiteRoute.day(clinic: id, doctor: doctorID, day: $0.key).path, name: DayName.of($0.midday, in: schedule.zone, now: now))
        }
        return Schedule(
            doctor: DoctorFields(doctor: schedule.doctor, specialty: schedule.specialty, clinic: schedule.clinic),
            zone: schedule.zone, from: schedule.from, to: schedule.to, days: days, stamp: schedule.stamp
        )
    }

    /// The page as HTML, kept under `path` (for visitors who are not signed in) while `schedule` is current.
    private func respond(_ template: String, page: some TemplateObject, schedule: Schedule, keepAt path: String?, for viewer: PageViewer) throws -> Response {
        guard let path else { return try pages.render(template, for: viewer, page: page) }
        let html = try pages.html(template, for: viewer, page: page)
        keptDoctorPages.keep(html, for: path, stamp: schedule.stamp)
        return PageRenderer.htmlResponse(html, caching: .revalidate)
    }

    /// The trail to a doctor: start, districts, their district, their clinic, their specialty.
    private func crumbs(to doctor: DoctorFields) async -> [Crumb] {
        let clinic = doctor.clinic
        return [Self.start, Self.allDistricts, await districtCrumb(of: clinic), Crumb(title: clinic.shortName, url: SiteRoute.clinic(clinic.id).path),
                Crumb(title: doctor.specialty.name, url: SiteRoute.specialty(clinic: clinic.id, specialty: doctor.specialty.id).path)]
    }

    /// The clinic's district in the trail, by its name (districts are reference data the bridge keeps;
    /// a MIS that does not answer leaves the plain word).
    private func districtCrumb(of clinic: MISClinic) async -> Crumb {
        let name = (try? await region.districts())?.first { $0.id == clinic.districtID }?.name
        return Crumb(title: name ?? "Район", url: SiteRoute.district(clinic.districtID).path)
    }

    // MARK: Helpers

    private func findClinic(_ id: String) async throws -> (MISClinic, MISClient) {
        guard let found = try await misForPage({ () throws(MISFailure) in try await region.clinic(id) }) else { throw HTTPError(.notFound) }
        return found
    }

    /// Whose district doctor this is, for a signed-in patient attached here; whether time is left.
    static func doctorNote(_ doctor: MISDoctor, clinic: String, patient: IdentifiedPatient?) -> String? {
        var notes: [String] = []
        if let district = doctor.district, let attachment = patient?.attachment, attachment.clinicID == clinic, let own = attachment.district {
            notes.append(district == own ? "Ваш участковый врач." : "Врач другого участка; ваш участок — № \(own).")
        }
        if doctor.freeCount == 0 { notes.append("Свободного времени нет; новые дни открываются каждое утро.") }
        return notes.isEmpty ? nil : notes.joined(separator: " ")
    }

    static func midday(_ day: String, _ zone: TimeZone) -> Date? {
        ProtocolTime.startOfDay(day, in: zone)?.addingTimeInterval(12 * 3_600)
    }

    /// Who may book this specialty on their own — said, never hidden; for an identified patient, whether they may.
    static func accessNote(_ specialty: MISSpecialty, clinic: String, patient: IdentifiedPatient?, today: String) -> String? {
        var notes: [String] = []
        if let maximum = specialty.maximumAge, maximum < 18 {
            notes.append("Принимает детей до 18 лет.")
        } else if let minimum = specialty.minimumAge, minimum >= 18 {
            notes.append("Принимает взрослых.")
        } else if let minimum = specialty.minimumAge {
            notes.append("Принимает с \(minimum) лет.")
        }
        if let patient {
            let age = BookingRules.age(birthDate: patient.birthDate, on: today)
            if !specialty.admits(age: age) {
                notes.append("По возрасту вам нужен другой врач — спросите в регистратуре, к кому записаться.")
            }
        }
        switch specialty.selfBooking {
        case .open: break
        case .dispensary:
            if patient?.cards[clinic]?.dispensarySpecialtyIDs.contains(specialty.id) == true {
                notes.append("Вы состоите на диспансерном учёте у этого специалиста и можете записаться сами.")
            } else {
                notes.append("Самостоятельная запись — для тех, кто состоит на диспансерном учёте у этого специалиста; остальным нужно направление участкового врача (его номер спросят при записи).")
            }
        case .referral: notes.append("Запись к этому специалисту — по направлению лечащего врача: его номер спросят при записи.")
        }
        if specialty.attachedOnly {
            if let patient, patient.attachment?.clinicID != clinic {
                notes.append("Только для прикреплённых к этой поликлинике, а вы прикреплены к другой — запишитесь к своему участковому врачу.")
            } else if patient == nil {
                notes.append("Только для прикреплённых к этой поликлинике.")
            }
        }
        return notes.isEmpty ? nil : notes.joined(separator: " ")
    }
}
