import Foundation

/// Says in which time a clinic's times are given, as Russians reckon it: against Moscow time, with
/// the zone's best-known city — «московское время», «МСК+2, Екатеринбург».
public enum ZoneNote {
    /// Cities of the zones Russian clinics keep.
    private static let cities = [
        "Europe/Kaliningrad": "Калининград", "Europe/Moscow": "Москва", "Europe/Volgograd": "Волгоград", "Europe/Samara": "Самара",
        "Europe/Ulyanovsk": "Ульяновск", "Europe/Saratov": "Саратов", "Europe/Astrakhan": "Астрахань", "Asia/Yekaterinburg": "Екатеринбург",
        "Asia/Omsk": "Омск", "Asia/Novosibirsk": "Новосибирск", "Asia/Barnaul": "Барнаул", "Asia/Tomsk": "Томск", "Asia/Novokuznetsk": "Новокузнецк",
        "Asia/Krasnoyarsk": "Красноярск", "Asia/Irkutsk": "Иркутск", "Asia/Chita": "Чита", "Asia/Yakutsk": "Якутск",
        "Asia/Vladivostok": "Владивосток", "Asia/Sakhalin": "Южно-Сахалинск", "Asia/Magadan": "Магадан", "Asia/Kamchatka": "Петропавловск-Камчатский",
        "Asia/Anadyr": "Анадырь",
    ]

    /// The note for times in zone `identifier` around `date`.
    public static func describe(_ identifier: String, at date: Date) -> String {
        guard let zone = TimeZone(identifier: identifier), let moscow = TimeZone(identifier: "Europe/Moscow") else { return "время поликлиники" }
        let hours = (zone.secondsFromGMT(for: date) - moscow.secondsFromGMT(for: date)) / 3_600
        let city = cities[identifier].map { ", " + $0 } ?? ""
        if hours == 0 { return "московское время" + (identifier == "Europe/Moscow" ? "" : city) }
        return "МСК\(hours > 0 ? "+" : "−")\(abs(hours))" + city
    }
}
