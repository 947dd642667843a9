/// The operations of the MIS protocol, named as Russian MIS vendors know them from the regional bus.
public enum MISOperation: String, CaseIterable, Sendable {
    case getVersion = "GetVersion"
    case getDistrictList = "GetDistrictList"
    case getLPUList = "GetLPUList"
    case getSpecialityList = "GetSpecialityList"
    case getDoctorList = "GetDoctorList"
    case getAvailableDates = "GetAvailableDates"
    case getAvailableAppointments = "GetAvailableAppointments"
    case checkPatient = "CheckPatient"
    case setAppointment = "SetAppointment"
    case createClaimForRefusal = "CreateClaimForRefusal"
    case getPatientHistory = "GetPatientHistory"
    case getChanges = "GetChanges"
    case checkReferral = "CheckReferral"
    case searchPatients = "SearchPatients"
    /// Staff only: every slot of a period with every booking made for it.
    case getSchedule = "GetSchedule"
    /// Staff only: the reservations awaiting the clinic's decision and the displaced entries.
    case getReservationList = "GetReservationList"
    /// The clinic confirms a reservation with a patient's card.
    case confirmReservation = "ConfirmReservation"
    /// The clinic refuses a reservation, or cancels a displaced entry, with a reason.
    case refuseReservation = "RefuseReservation"
    /// The clinic moves an appointment (a displaced one above all) to another time of the specialty.
    case moveAppointment = "MoveAppointment"
    /// The clinic opens a card for a person it found none of.
    case createPatient = "CreatePatient"

    /// Writes go by POST and are never retried blindly; reads go by GET.
    public var isWrite: Bool {
        switch self {
        case .setAppointment, .createClaimForRefusal, .confirmReservation, .refuseReservation, .moveAppointment, .createPatient: true
        default: false
        }
    }
}

/// The stable numeric error codes of the protocol.
public enum MISErrorCode: Int, CaseIterable, Sendable {
    case patientNotFound = 1
    case severalPatientsFound = 2
    case alreadyBookedWithSpecialty = 3
    case slotTaken = 4
    case noReception = 5
    case appointmentNotFound = 6
    case notAttached = 7
    case bookingForbidden = 8
    case badRequest = 9
    case unauthorised = 10
    case `internal` = 11
    case referralNotFound = 12
    /// The reservation (or displaced entry) is no longer awaiting a decision: someone decided it.
    case alreadyDecided = 13

    /// The HTTP status a gateway answers with alongside the XML error.
    public var httpStatus: Int {
        switch self {
        case .badRequest: 400
        case .unauthorised: 401
        case .bookingForbidden, .notAttached: 403
        case .patientNotFound, .appointmentNotFound, .referralNotFound: 404
        case .slotTaken, .alreadyBookedWithSpecialty, .severalPatientsFound, .noReception, .alreadyDecided: 409
        case .internal: 500
        }
    }
}

/// Who made a booking or a cancellation.
public enum MISChannel: String, CaseIterable, Sendable {
    case callCentre = "call-centre"
    case kiosk
    case frontDesk = "front-desk"
    case doctor
    case internet
    case federalPortal = "federal-portal"
    case clinic
    case other
}
