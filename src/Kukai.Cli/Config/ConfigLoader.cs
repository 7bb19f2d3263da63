using System.Globalization;
using Kukai.Engine.Plans;
using Kukai.Toml;

namespace Kukai.Cli.Config;

/// <summary>
/// Reads a Kukai config file (TOML, SPEC §2) and reports every problem at once as <c>file:line:col: field: why</c>
/// lines in a <see cref="UsageException"/> (exit code 2).
/// </summary>
public static class ConfigLoader
{
    private static readonly string[] RootKeys = ["mode", "commander", "edge", "kafka", "load"];
    private static readonly string[] Modes = ["standalone", "commander", "edge"];
    private static readonly string[] CommanderKeys = ["edges", "listen"];
    private static readonly string[] EdgeKeys = ["commander_address", "id"];
    private static readonly string[] KafkaKeys = ["bootstrap", "topic_prefix"];

    public static KukaiConfig Load(string path)
    {
        var shown = PlanText.Printable(path); // a newline in the path must not split its message in two

        if (Directory.Exists(path))
        {
            throw new UsageException($"--config: '{shown}' is a folder, not a config file");
        }

        TomlTable doc;
        try
        {
            doc = TomlReader.ParseUtf8(ReadBounded(path), path);
        }
        catch (TomlException ex)
        {
            throw new UsageException(PlanText.Printable(ex.Message));
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"--config: '{shown}' does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"--config: '{shown}' does not exist (no such folder)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--config: '{shown}' cannot be read: {PlanText.Printable(ex.Message)}");
        }

        return Bind(doc, path);
    }

    /// <summary>The most a config file may hold: far more than any config, far less than <c>/dev/zero</c>.</summary>
    public const int MaxConfigBytes = 4 * 1024 * 1024;

    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxConfigBytes)
            {
                throw new UsageException($"--config: '{PlanText.Printable(path)}' holds more than {MaxConfigBytes / (1024 * 1024)} MiB: not a Kukai config");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a config from its text; <paramref name="file"/> names it in messages.</summary>
    public static KukaiConfig Read(string text, string file)
    {
        TomlTable doc;
        try
        {
            doc = TomlReader.Parse(text, file);
        }
        catch (TomlException ex)
        {
            throw new UsageException(PlanText.Printable(ex.Message));
        }

        return Bind(doc, file);
    }

    /// <summary>Binds a parsed document; <paramref name="file"/> names it in messages.</summary>
    public static KukaiConfig Bind(TomlTable doc, string file)
    {
        var issues = new List<string>();
        var config = new KukaiConfig { Path = file };
        var root = new TomlPlanNode(doc, file);
        foreach (var entry in root.Entries)
        {
            if (!RootKeys.Contains(entry.Key))
            {
                issues.Add(Unknown(entry, string.Empty, RootKeys));
            }
        }

        if (doc.TryGetValue("mode", out var modeValue))
        {
            var mode = (modeValue as TomlString)?.Value;
            if (mode is null || !Modes.Contains(mode))
            {
                issues.Add($"{At(modeValue, file)}: mode: {new TomlPlanNode(modeValue, file).Display} must be \"standalone\", \"commander\" or \"edge\"");
            }
            else
            {
                config = config with { Mode = mode };
            }
        }

        if (Section(doc, "commander", CommanderKeys, file, issues) is { } commander)
        {
            config = config with
            {
                CommanderEdges = Strings(commander, "edges", "commander.edges", file, issues),
                CommanderListen = Text(commander, "listen", "commander.listen", file, issues),
            };
        }

        if (Section(doc, "edge", EdgeKeys, file, issues) is { } edge)
        {
            config = config with
            {
                EdgeCommanderAddress = Text(edge, "commander_address", "edge.commander_address", file, issues),
                EdgeId = Id(edge, "id", "edge.id", file, issues),
            };
        }

        if (Section(doc, "kafka", KafkaKeys, file, issues) is { } kafka)
        {
            config = config with
            {
                KafkaBootstrap = Text(kafka, "bootstrap", "kafka.bootstrap", file, issues),
                KafkaTopicPrefix = Text(kafka, "topic_prefix", "kafka.topic_prefix", file, issues),
            };
        }

        CheckAddresses(doc, config, file, issues);

        if (doc.TryGetValue("load", out var load))
        {
            var result = PlanReader.Read(new TomlPlanNode(load, file), PlanKeyStyle.SnakeCase, "load.");
            issues.AddRange(result.Issues.Select(i => i.ToString()));
            config = config with { Plan = result.Plan };
            if (load is TomlTable loadTable && loadTable.TryGetValue("arrow_output", out var arrow) && arrow is TomlString arrowPath
                && Standalone.ArrowOutput.Problem(arrowPath.Value) is { } why)
            {
                issues.Add($"{At(arrow, file)}: load.arrow_output: {new TomlPlanNode(arrow, file).Display} {why}");
            }
        }

        if (issues.Count > 0)
        {
            // One line per problem, whatever the keys and values quoted in it contain, in the file's order.
            var ordered = issues.OrderBy(i => Position(i, file).Line).ThenBy(i => Position(i, file).Column);
            throw new UsageException(string.Join('\n', ordered.Select(PlanText.Printable)));
        }

        return config;
    }

    // The sections' addresses, checked here with their positions and all at once, rather than one at a time later
    // under the names of flags the user never gave.
    private static void CheckAddresses(TomlTable doc, KukaiConfig config, string file, List<string> issues)
    {
        void Add(string section, string key, string why)
        {
            var value = ((TomlTable)doc[section])[key];
            issues.Add($"{At(value, file)}: {section}.{key}: {new TomlPlanNode(value, file).Display} {why}");
        }

        if (config.EdgeCommanderAddress is { } commander && !Options.HostPort.TryParse(commander, allowPortZero: false, out _, out var commanderError))
        {
            Add("edge", "commander_address", commanderError!);
        }

        if (config.CommanderListen is { } listen && !Options.HostPort.TryParse(listen, allowPortZero: true, out _, out var listenError))
        {
            Add("commander", "listen", listenError!);
        }

        foreach (var edge in config.CommanderEdges.Where(e => !IsEdge(e)))
        {
            Add("commander", "edges", $"must list driver hosts or ids (HOST or HOST:PORT): '{edge}' is not one");
        }

        if (config.KafkaBootstrap is { } bootstrap)
        {
            foreach (var why in Kafka.KafkaTransportOptions.BootstrapProblems(bootstrap))
            {
                Add("kafka", "bootstrap", why);
            }
        }

        if (config.KafkaTopicPrefix is { } prefix && Kafka.KafkaTopics.CheckPrefix(prefix) is { } prefixError)
        {
            Add("kafka", "topic_prefix", prefixError);
        }
    }

    private static bool IsEdge(string entry) =>
        entry.Length > 0 && !entry.Any(char.IsWhiteSpace)
        && (!entry.Contains(':', StringComparison.Ordinal) || System.Net.IPAddress.TryParse(entry, out _) || Options.HostPort.TryParse(entry, allowPortZero: false, out _, out _));

    // Where a "file:line:col: ..." issue points; (0, 0) for one without a position.
    private static (int Line, int Column) Position(string issue, string file)
    {
        var rest = issue.StartsWith(file + ":", StringComparison.Ordinal) ? issue[(file.Length + 1)..].Split(':', 3) : [];
        return rest.Length == 3
            && int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            && int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out var column)
            ? (line, column)
            : (0, 0);
    }

    private static TomlTable? Section(TomlTable doc, string name, string[] keys, string file, List<string> issues)
    {
        if (!doc.TryGetValue(name, out var value))
        {
            return null;
        }

        if (value is not TomlTable table)
        {
            issues.Add($"{At(value, file)}: {name}: must be a table ([{name}])");
            return null;
        }

        foreach (var entry in new TomlPlanNode(table, file).Entries)
        {
            if (!keys.Contains(entry.Key))
            {
                issues.Add(Unknown(entry, name + ".", keys));
            }
        }

        return table;
    }

    private static string? Text(TomlTable table, string key, string field, string file, List<string> issues)
    {
        if (!table.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is TomlString s)
        {
            return s.Value;
        }

        issues.Add($"{At(value, file)}: {field}: {new TomlPlanNode(value, file).Display} must be a string");
        return null;
    }

    private static string? Id(TomlTable table, string key, string field, string file, List<string> issues)
    {
        var id = Text(table, key, field, file, issues);
        if (id is not null && Options.CliOptions.IdRule(id) is { } why)
        {
            issues.Add($"{At(table[key], file)}: {field}: {new TomlPlanNode(table[key], file).Display} {why}");
            return null;
        }

        return id;
    }

    private static IReadOnlyList<string> Strings(TomlTable table, string key, string field, string file, List<string> issues)
    {
        if (!table.TryGetValue(key, out var value))
        {
            return [];
        }

        if (value is TomlArray array && array.All(v => v is TomlString))
        {
            return [.. array.Cast<TomlString>().Select(s => s.Value)];
        }

        issues.Add($"{At(value, file)}: {field}: must be an array of strings");
        return [];
    }

    private static string Unknown(PlanEntry entry, string prefix, string[] known)
    {
        var near = KeySuggestions.Nearest(entry.Key, known);
        var hint = near is null ? $"known keys: {string.Join(", ", known)}" : $"did you mean '{near}'?";
        return $"{entry.KeyLocation ?? entry.Value.Location}: {prefix}{entry.Key}: unknown key ({hint})";
    }

    private static string At(TomlValue value, string file) => $"{file}:{value.Line}:{value.Column}";
}
