import GRDB

/// One doctor's working hours on one week day, as the working pattern gives them, and the slots they make.
struct WorkingDay {
    let doctorID: String
    let weekday: Int
    let startMinute: Int
    let endMinute: Int
    let breakStart: Int?
    let breakEnd: Int?
    let slotMinutes: Int

    /// Reads a row of `doctor` joined with `working_pattern`.
    init(_ row: Row) {
        doctorID = row["id"]
        weekday = row["weekday"]
        startMinute = row["start_minute"]
        endMinute = row["end_minute"]
        breakStart = row["break_start"]
        breakEnd = row["break_end"]
        slotMinutes = row["slot_minutes"]
    }

    /// The doctors of a clinic with their working days: every row reads into a `WorkingDay`.
    static let clinicQuery = """
        SELECT d.id, d.slot_minutes, w.weekday, w.start_minute, w.end_minute, w.break_start, w.break_end
        FROM doctor d JOIN working_pattern w ON w.doctor_id = d.id WHERE d.clinic_id = ?
        """

    /// The minutes after midnight at which the day's slots start: back to back, none crossing the break.
    var slotStarts: [Int] {
        var starts: [Int] = []
        var minute = startMinute
        while minute + slotMinutes <= endMinute {
            if let breakStart, let breakEnd, minute < breakEnd, minute + slotMinutes > breakStart {
                minute = breakEnd
                continue
            }
            starts.append(minute)
            minute += slotMinutes
        }
        return starts
    }
}
