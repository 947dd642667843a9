import Templating

/// The practical limit: the same page built by hand with `String` appends and escaping, byte for byte
/// what our engine writes.
enum HandWritten {
    private static let isoFormat = try! RussianDateFormat("yyyy-MM-dd")
    private static let dayFormat = try! RussianDateFormat("EEEE, d MMMM")
    private static let timeFormat = try! RussianDateFormat("HH:mm")
    private static let tickets = RussianPluralForms(one: "талон", few: "талона", many: "талонов")

    /// `formatsDates`: the page formats every date where it appears (and the count of free tickets), as the template that formats its
    /// own dates does (the same formats, as many times); otherwise it writes the model's preformatted texts.
    static func render(_ page: SlotGridPage, formatsDates: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(48_000)
        out += "<!doctype html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        escape(page.doctor.name, into: &out)
        out += " — запись на приём — Регистратура</title>\n<link rel=\"stylesheet\" href=\"/css/site.css\">\n</head>\n<body>\n"
        out += "<a class=\"skip-link\" href=\"#main\">Перейти к основному содержанию</a>\n"
        out += "<header class=\"site-header\"><a class=\"site-header__name\" href=\"/\">Регистратура</a>"
        out += "<p class=\"site-header__tagline\">Онлайн-регистратура поликлиник</p></header>\n"
        out += "<main id=\"main\" class=\"page\" tabindex=\"-1\">\n"
        out += "<nav class=\"breadcrumbs\" aria-label=\"Вы здесь\"><ol><li><a href=\"/\">Главная</a></li><li><a href=\"/clinics/"
        out += String(page.clinic.id)
        out += "\">"
        escape(page.clinic.shortName, into: &out)
        out += "</a></li><li aria-current=\"page\">"
        escape(page.doctor.name, into: &out)
        out += "</li></ol></nav>\n<h1>"
        escape(page.doctor.name, into: &out)
        out += "</h1>\n<p class=\"doctor-card\">"
        escape(page.doctor.specialty, into: &out)
        out += ", кабинет "
        escape(page.doctor.room, into: &out)
        out += ". "
        escape(page.clinic.name, into: &out)
        out += ", "
        escape(page.clinic.address, into: &out)
        out += ", тел. "
        escape(page.clinic.phone, into: &out)
        out += "</p>\n<p>Свободно "
        escape(formatsDates ? RussianNumberFormat.string(page.freeCount) + " " + tickets.form(for: page.freeCount) : page.freeLabel, into: &out)
        out += " на две недели вперёд. Время указано по часовому поясу поликлиники ("
        escape(page.clinic.zoneLabel, into: &out)
        out += ").</p>\n<form method=\"post\" action=\"/booking/check\">\n<input type=\"hidden\" name=\"doctor\" value=\""
        out += String(page.doctor.id)
        out += "\">\n"
        for day in page.days {
            out += "<section class=\"day\" aria-labelledby=\"day-"
            escape(formatsDates ? isoFormat.string(from: day.date, in: page.zone) : day.iso, into: &out)
            out += "\">\n<h2 id=\"day-"
            escape(formatsDates ? isoFormat.string(from: day.date, in: page.zone) : day.iso, into: &out)
            out += "\">"
            escape(formatsDates ? dayFormat.string(from: day.date, in: page.zone) : day.label, into: &out)
            out += "</h2>\n"
            if day.hasSlots {
                out += "<ul class=\"slots\">"
                for slot in day.slots {
                    if slot.free {
                        out += "<li><button type=\"submit\" name=\"slot\" value=\""
                        out += String(slot.id)
                        out += "\" aria-label=\""
                        escape(formatsDates ? dayFormat.string(from: day.date, in: page.zone) : day.label, into: &out)
                        out += ", "
                        escape(formatsDates ? timeFormat.string(from: slot.start, in: page.zone) : slot.time, into: &out)
                        out += "\">"
                        escape(formatsDates ? timeFormat.string(from: slot.start, in: page.zone) : slot.time, into: &out)
                        out += "</button></li>"
                    } else {
                        out += "<li class=\"slot--busy\"><span>"
                        escape(formatsDates ? timeFormat.string(from: slot.start, in: page.zone) : slot.time, into: &out)
                        out += "</span><span class=\"visually-hidden\"> — занято</span></li>"
                    }
                }
                out += "</ul>"
            } else {
                out += "<p>Приёма нет.</p>"
            }
            out += "\n</section>\n"
        }
        out += "</form>\n\n</main>\n"
        out += "<footer class=\"site-footer\"><p>При угрозе жизни звоните 103 или 112.</p><p>© 2026 Регистратура</p></footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    /// Appends `text` HTML-escaped; text without special characters is appended whole.
    @inline(__always)
    static func escape(_ text: String, into out: inout String) {
        var needsEscaping = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
            needsEscaping = true
            break
        }
        guard needsEscaping else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}
