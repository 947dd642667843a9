import RegistryCore

extension ChosenTimeFields {
    /// The fields of a time the booking desk resolved (every channel's check page).
    public init(_ chosen: ChosenSlot) {
        self.init(clinic: chosen.clinic, doctor: chosen.doctor, specialty: chosen.specialty, slot: chosen.slot)
    }
}
