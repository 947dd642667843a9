import MISBridge

/// Clinics in the order a person looks for theirs: first those the first test picks out (the
/// kiosk's own clinic, the one a patient is attached to), then the next test's, then the rest;
/// by short name within each.
public enum ClinicOrder {
    public static func sorted<Item>(_ items: [Item], clinic: (Item) -> MISClinic, preferring tests: [(MISClinic) -> Bool]) -> [Item] {
        items.map { item in
            let found = clinic(item)
            return (rank: tests.firstIndex { $0(found) } ?? tests.count, name: found.shortName, item: item)
        }
        .sorted { ($0.rank, $0.name) < ($1.rank, $1.name) }
        .map(\.item)
    }

    public static func sorted(_ clinics: [MISClinic], preferring tests: [(MISClinic) -> Bool]) -> [MISClinic] {
        sorted(clinics, clinic: { $0 }, preferring: tests)
    }
}
