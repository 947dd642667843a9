import RegistryCore

extension ClinicDayList.Doctor {
    /// The specialty as it stands mid-phrase: «хирург», not «Хирург».
    var specialtyInPhrase: String { specialty.inPhrase }
}

extension String {
    /// A specialty's name as it stands mid-phrase: «хирург», not «Хирург».
    var inPhrase: String {
        prefix(1).lowercased() + dropFirst()
    }
}
