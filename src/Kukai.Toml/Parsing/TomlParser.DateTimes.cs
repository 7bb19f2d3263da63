namespace Kukai.Toml.Parsing;

/// <summary>
/// RFC 3339 date-times as TOML 1.0 has them: offset date-times, local date-times, local dates and local times.
/// Seconds are required; the date-time separator is <c>T</c>, <c>t</c> or a space. Calendars are checked
/// (February 29 only in leap years). Limits of the .NET types: years 0001-9999, no leap second (second 60),
/// offsets within ±14:00, fractions truncated to 100 ns.
/// </summary>
internal sealed partial class TomlParser
{
    private TomlValue ParseDateOrDateTime(TextPosition position)
    {
        int start = _pos;
        int year = ReadFixedDigits(start, 4, "year");
        int month = ReadFixedDigits(start + 5, 2, "month");
        ExpectDateTimeChar(start + 7, '-', "after the month");
        int day = ReadFixedDigits(start + 8, 2, "day");
        if (year == 0)
        {
            throw ErrorAt(start, "year 0000 is out of range (0001-9999)");
        }

        if (month is < 1 or > 12)
        {
            throw ErrorAt(start + 5, $"month {month:00} is out of range (01-12)");
        }

        int daysInMonth = DateTime.DaysInMonth(year, month);
        if (day < 1 || day > daysInMonth)
        {
            throw ErrorAt(start + 8, $"day {day:00} is out of range for {year:0000}-{month:00} (01-{daysInMonth})");
        }

        _pos = start + 10;
        char separator = CharAt(_pos);
        bool hasTime = separator is 'T' or 't' || (separator == ' ' && TomlText.IsDigit(CharAt(_pos + 1)));
        if (!hasTime)
        {
            RejectTrailingCharacter("local date");
            return new TomlLocalDate(new DateOnly(year, month, day), position.Line, position.Column);
        }

        _pos++;
        long timeTicks = ReadTime();
        var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).AddTicks(timeTicks);
        char c = CharAt(_pos);
        TimeSpan offset;
        if (c is 'Z' or 'z')
        {
            _pos++;
            offset = TimeSpan.Zero;
        }
        else if (c is '+' or '-')
        {
            offset = ReadOffset();
        }
        else
        {
            RejectTrailingCharacter("local date-time");
            return new TomlLocalDateTime(local, position.Line, position.Column);
        }

        RejectTrailingCharacter("offset date-time");
        long utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            throw Error(position, "offset date-time is out of range: in UTC it must fall between 0001-01-01 and 9999-12-31");
        }

        return new TomlOffsetDateTime(new DateTimeOffset(local, offset), position.Line, position.Column);
    }

    private TomlLocalTime ParseLocalTime(TextPosition position)
    {
        long ticks = ReadTime();
        RejectTrailingCharacter("local time");
        return new TomlLocalTime(new TimeOnly(ticks), position.Line, position.Column);
    }

    /// <summary>Reads <c>HH:MM:SS[.fraction]</c> at <see cref="_pos"/>; returns the time of day in ticks.</summary>
    private long ReadTime()
    {
        int start = _pos;
        int hour = ReadFixedDigits(start, 2, "hour");
        ExpectDateTimeChar(start + 2, ':', "after the hour");
        int minute = ReadFixedDigits(start + 3, 2, "minute");
        if (CharAt(start + 5) != ':')
        {
            throw ErrorAt(start + 5, $"expected ':' and seconds after the minute, found {Describe(start + 5)} (TOML 1.0 times are HH:MM:SS)");
        }

        int second = ReadFixedDigits(start + 6, 2, "second");
        if (hour > 23)
        {
            throw ErrorAt(start, $"hour {hour:00} is out of range (00-23)");
        }

        if (minute > 59)
        {
            throw ErrorAt(start + 3, $"minute {minute:00} is out of range (00-59)");
        }

        if (second > 59)
        {
            throw ErrorAt(start + 6, second == 60
                ? "second 60 (a leap second) is not supported: seconds must be 00-59"
                : $"second {second:00} is out of range (00-59)");
        }

        _pos = start + 8;
        long ticks = (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond);
        if (CharAt(_pos) == '.')
        {
            _pos++;
            if (!TomlText.IsDigit(CharAt(_pos)))
            {
                throw ErrorAt(_pos, $"expected a digit after '.' in the seconds, found {Describe(_pos)}");
            }

            // Digits past the seventh (100 ns) are read and dropped: TOML allows truncation.
            long scale = TimeSpan.TicksPerSecond;
            while (_pos < _text.Length && TomlText.IsDigit(_text[_pos]))
            {
                scale /= 10;
                ticks += (_text[_pos] - '0') * scale;
                _pos++;
            }
        }

        return ticks;
    }

    /// <summary>Reads <c>+HH:MM</c> or <c>-HH:MM</c> at <see cref="_pos"/>.</summary>
    private TimeSpan ReadOffset()
    {
        int start = _pos;
        int hours = ReadFixedDigits(start + 1, 2, "offset hour");
        ExpectDateTimeChar(start + 3, ':', "after the offset hour");
        int minutes = ReadFixedDigits(start + 4, 2, "offset minute");
        if (hours > 23)
        {
            throw ErrorAt(start + 1, $"offset hour {hours:00} is out of range (00-23)");
        }

        if (minutes > 59)
        {
            throw ErrorAt(start + 4, $"offset minute {minutes:00} is out of range (00-59)");
        }

        int total = (hours * 60) + minutes;
        if (total > 14 * 60)
        {
            throw ErrorAt(start, $"offset {_text[start]}{hours:00}:{minutes:00} is not supported: offsets must be within ±14:00");
        }

        _pos = start + 6;
        return TimeSpan.FromMinutes(_text[start] == '-' ? -total : total);
    }

    private int ReadFixedDigits(int index, int count, string what)
    {
        int value = 0;
        for (int i = index; i < index + count; i++)
        {
            if (i >= _text.Length || !TomlText.IsDigit(_text[i]))
            {
                throw ErrorAt(i, $"expected a {count}-digit {what}, found {Describe(i)}");
            }

            value = (value * 10) + (_text[i] - '0');
        }

        return value;
    }

    private void ExpectDateTimeChar(int index, char expected, string where)
    {
        if (index >= _text.Length || _text[index] != expected)
        {
            throw ErrorAt(index, $"expected '{expected}' {where}, found {Describe(index)}");
        }
    }
}
