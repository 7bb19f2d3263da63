using System.Globalization;

namespace Kukai.Toml.Parsing;

/// <summary>
/// Integers (decimal, <c>0x</c>, <c>0o</c>, <c>0b</c>) and floats. Underscores must sit between two digits;
/// decimal integers and the integer part of floats have no leading zeros; only decimal numbers take a sign.
/// Integers must fit in 64 bits; a float too large for binary64 is an error, one too small rounds to zero.
/// </summary>
internal sealed partial class TomlParser
{
    private TomlValue ParseNumberOrDateTime(TextPosition position)
    {
        int start = _pos;
        if (TomlText.IsDigit(CharAt(start)) && TomlText.IsDigit(CharAt(start + 1)))
        {
            if (TomlText.IsDigit(CharAt(start + 2)) && TomlText.IsDigit(CharAt(start + 3)) && CharAt(start + 4) == '-')
            {
                return ParseDateOrDateTime(position);
            }

            if (CharAt(start + 2) == ':')
            {
                return ParseLocalTime(position);
            }
        }

        bool signed = CharAt(start) is '+' or '-';
        int digitsStart = signed ? start + 1 : start;
        if (signed && char.IsAsciiLetter(CharAt(digitsStart)))
        {
            return ParseWord(position);
        }

        if (CharAt(digitsStart) == '0' && CharAt(digitsStart + 1) is 'x' or 'o' or 'b')
        {
            if (signed)
            {
                throw ErrorAt(start, $"{RadixName(CharAt(digitsStart + 1))} integers cannot have a sign");
            }

            return ParseRadixInteger(position);
        }

        _pos = digitsStart;
        if (!TomlText.IsDigit(CharAt(_pos)))
        {
            throw ErrorAt(_pos, $"expected a digit after '{_text[start]}', found {Describe(_pos)}");
        }

        if (CharAt(_pos) == '0' && (TomlText.IsDigit(CharAt(_pos + 1)) || CharAt(_pos + 1) == '_'))
        {
            throw ErrorAt(_pos, "leading zeros are not allowed in a decimal number");
        }

        ReadDigits(TomlText.IsDigit, "number");
        bool isFloat = false;
        if (CharAt(_pos) == '.')
        {
            isFloat = true;
            _pos++;
            if (!TomlText.IsDigit(CharAt(_pos)))
            {
                throw ErrorAt(_pos, $"expected a digit after the decimal point, found {Describe(_pos)}");
            }

            ReadDigits(TomlText.IsDigit, "number");
        }

        if (CharAt(_pos) is 'e' or 'E')
        {
            isFloat = true;
            _pos++;
            if (CharAt(_pos) is '+' or '-')
            {
                _pos++;
            }

            if (!TomlText.IsDigit(CharAt(_pos)))
            {
                throw ErrorAt(_pos, $"expected a digit in the exponent, found {Describe(_pos)}");
            }

            ReadDigits(TomlText.IsDigit, "number");
        }

        string kind = isFloat ? "float" : "integer";
        RejectTrailingCharacter(kind);
        string raw = _text.Substring(start, _pos - start);
        string digits = raw.Replace("_", string.Empty, StringComparison.Ordinal);
        if (!isFloat)
        {
            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                throw Error(position, $"integer {raw} out of range for a 64-bit integer");
            }

            return new TomlInteger(integer, position.Line, position.Column);
        }

        double value = double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            throw Error(position, $"float {raw} out of range for a 64-bit float");
        }

        return new TomlFloat(value, position.Line, position.Column);
    }

    private TomlInteger ParseRadixInteger(TextPosition position)
    {
        int start = _pos;
        char prefix = _text[start + 1];
        string name = RadixName(prefix);
        (int radix, Func<char, bool> isDigit) = prefix switch
        {
            'x' => (16, (Func<char, bool>)char.IsAsciiHexDigit),
            'o' => (8, static c => c is >= '0' and <= '7'),
            _ => (2, static c => c is '0' or '1'),
        };

        _pos += 2;
        if (!isDigit(CharAt(_pos)))
        {
            throw ErrorAt(_pos, $"expected {(prefix == 'o' ? "an" : "a")} {name} digit after '0{prefix}', found {Describe(_pos)}");
        }

        ReadDigits(isDigit, $"{name} integer");
        RejectTrailingCharacter($"{name} integer");

        long value = 0;
        for (int i = start + 2; i < _pos; i++)
        {
            char c = _text[i];
            if (c == '_')
            {
                continue;
            }

            int digit = HexValue(c);
            if (value > (long.MaxValue - digit) / radix)
            {
                throw Error(position, $"integer {_text.Substring(start, _pos - start)} out of range for a 64-bit integer");
            }

            value = (value * radix) + digit;
        }

        return new TomlInteger(value, position.Line, position.Column);
    }

    /// <summary>Reads digits with single underscores between them; the first digit is at <see cref="_pos"/>.</summary>
    private void ReadDigits(Func<char, bool> isDigit, string what)
    {
        _pos++;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (isDigit(c))
            {
                _pos++;
            }
            else if (c == '_')
            {
                if (_pos + 1 >= _text.Length || !isDigit(_text[_pos + 1]))
                {
                    throw ErrorAt(_pos, $"an underscore in a {what} must be between two digits");
                }

                _pos += 2;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>After a number or date-time: a character that could only continue it means it is malformed.</summary>
    private void RejectTrailingCharacter(string kind)
    {
        if (_pos < _text.Length && TomlText.ContinuesNumber(_text[_pos]))
        {
            throw ErrorAt(_pos, $"invalid character {Describe(_pos)} in {kind}");
        }
    }

    private static string RadixName(char prefix) => prefix switch
    {
        'x' => "hexadecimal",
        'o' => "octal",
        _ => "binary",
    };
}
