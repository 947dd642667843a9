import MISBridge

/// The clinic's reasons for refusing a reservation, in words: a short title for the registrar's
/// choice and the sentence the patient reads when the registrar wrote none of their own.
public enum ReservationRefusal {
    public static func title(_ reason: MISRefusalReason) -> String {
        switch reason {
        case .errorInSlot: "Ошибка в расписании"
        case .patientDecline: "Пациент отказался"
        case .incorrectService: "Этот врач не ведёт такой приём"
        case .incorrectData: "Неверные данные пациента"
        case .moDecline: "Поликлиника не обслуживает пациента"
        case .noFreeSpace: "Нет свободного времени"
        case .otherReasons: "Другая причина"
        }
    }

    /// What the patient reads: what happened and what to do next.
    public static func sentence(_ reason: MISRefusalReason) -> String {
        switch reason {
        case .errorInSlot: "Это время было открыто для записи по ошибке. Выберите, пожалуйста, другое время."
        case .patientDecline: "Запись отменена по вашей просьбе."
        case .incorrectService: "Этот врач не ведёт такой приём. Позвоните в регистратуру: вам подскажут, к кому записаться."
        case .incorrectData: "Данные пациента не совпали с картой поликлиники. Позвоните в регистратуру, чтобы их уточнить."
        case .moDecline: "Поликлиника не может принять вас по этой записи. Позвоните в регистратуру или запишитесь в свою поликлинику."
        case .noFreeSpace: "У врача не осталось свободного времени. Выберите, пожалуйста, другое время."
        case .otherReasons: "Позвоните в регистратуру поликлиники, чтобы узнать подробности."
        }
    }
}
