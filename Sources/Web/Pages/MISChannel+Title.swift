import MISBridge

/// The way an appointment was made (or cancelled), as staff pages name it.
extension MISChannel {
    public var title: String {
        switch self {
        case .callCentre: "контакт-центр"
        case .kiosk: "инфомат"
        case .frontDesk: "регистратура"
        case .doctor: "врач"
        case .internet: "сайт"
        case .federalPortal: "Госуслуги"
        case .clinic: "поликлиника"
        case .other: "другое"
        }
    }
}
