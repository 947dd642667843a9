import Persistence

/// The role as staff pages name it.
extension StaffRole {
    public var title: String {
        switch self {
        case .operator: "оператор"
        case .supervisor: "старший оператор"
        case .administrator: "администратор"
        case .registrar: "регистратор поликлиники"
        case .head: "руководитель поликлиники"
        }
    }
}
