using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Kukai.Cli.Options;

/// <summary>Typed flags whose parse errors name the flag, the value and the rule in one line.</summary>
public static class CliOptions
{
    public static Option<HostPort?> HostPort(string name, string description, bool allowPortZero) => new(name)
    {
        Description = description,
        HelpName = "HOST:PORT",
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (Options.HostPort.TryParse(text, allowPortZero, out var value, out var error))
            {
                return value;
            }

            r.AddError($"{name}: '{text}' {error}");
            return null;
        },
    };

    public static Option<int?> Int(string name, string description, int min, int max, string helpName = "N") => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
            {
                return v;
            }

            r.AddError($"{name}: '{text}' must be an integer from {min} to {max}");
            return null;
        },
    };

    public static Option<double?> Seconds(string name, string description, double min, double max) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= min && v <= max)
            {
                return v;
            }

            r.AddError($"{name}: '{text}' must be a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        },
    };

    public static Option<string?> Text(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (text.Length == 0 || text.StartsWith("--", StringComparison.Ordinal))
            {
                r.AddError($"{name}: needs a value ({helpName})");
                return null;
            }

            return text;
        },
    };

    /// <summary>
    /// A node id: 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'. Ids become parts of file names
    /// (a driver's spool file) and of results, so nothing that could leave a folder or break a line gets through.
    /// </summary>
    public static Option<string?> Id(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ID",
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (IdRule(text) is { } why)
            {
                r.AddError($"{name}: '{text}' {why}");
                return null;
            }

            return text;
        },
    };

    /// <summary>Why <paramref name="id"/> is not a valid node id, or null when it is.</summary>
    public static string? IdRule(string id) => Kukai.Engine.Plans.Identifiers.Problem(id);

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };
}
