import Foundation

/// One counted figure of the registry's statistics: no person in it, only a day, a clinic, what is
/// counted (`metric`: a channel's bookings, a doctor's slots, a rule's refusals…), what it is counted
/// for (`key`: the channel, the doctor's id, the rule's code…) and how many.
public struct StatisticCount: Sendable, Equatable {
    /// Which day a figure belongs to.
    public enum Basis: String, Sendable, CaseIterable {
        /// The day the booking (or its cancellation) was made.
        case made
        /// The day of the visit.
        case visit
        /// The day the registry showed something itself (a refusal) or took a reading (the first free time).
        case shown
    }

    public let basis: Basis
    /// `YYYY-MM-DD`, the clinic's day.
    public let day: String
    public let clinic: String
    public let metric: String
    public let key: String
    public let value: Int

    public init(basis: Basis, day: String, clinic: String, metric: String, key: String, value: Int) {
        self.basis = basis
        self.day = day
        self.clinic = clinic
        self.metric = metric
        self.key = key
        self.value = value
    }
}

/// What a statistics page asks the store: the sums of some metrics over a period, for some clinics
/// (nil: the whole region), split by key and, when asked, by day and by clinic.
public struct StatisticQuery: Sendable, Equatable {
    public var basis: StatisticCount.Basis
    public var from: String
    public var to: String
    public var clinics: [String]?
    public var metrics: [String]
    public var byDay: Bool
    public var byClinic: Bool

    public init(basis: StatisticCount.Basis, from: String, to: String, clinics: [String]?, metrics: [String], byDay: Bool = false, byClinic: Bool = false) {
        self.basis = basis
        self.from = from
        self.to = to
        self.clinics = clinics
        self.metrics = metrics
        self.byDay = byDay
        self.byClinic = byClinic
    }
}

/// One sum a statistics query answers; `day` and `clinic` are "" unless the query split by them.
public struct StatisticTotal: Sendable, Equatable {
    public let metric: String
    public let key: String
    public let day: String
    public let clinic: String
    public let value: Int

    public init(metric: String, key: String, day: String = "", clinic: String = "", value: Int) {
        self.metric = metric
        self.key = key
        self.day = day
        self.clinic = clinic
        self.value = value
    }
}

/// A name the statistics show for an id (a clinic's, a specialty's, a doctor's): public facts, kept
/// so that a page of last year's figures needs no MIS.
public struct StatisticName: Sendable, Equatable {
    /// `clinic`, `specialty` or `doctor`.
    public let kind: String
    public let id: String
    public let name: String

    public init(kind: String, id: String, name: String) {
        self.kind = kind
        self.id = id
        self.name = name
    }
}
