import RegistryCore

extension ClinicDayList.Doctor {
    /// The specialty as it stands mid-phrase: «хирург», not «Хирург».
    var specialtyInPhrase: String {
        specialty.prefix(1).lowercased() + specialty.dropFirst()
    }
}
