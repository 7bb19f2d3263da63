using System.Text.RegularExpressions;

namespace Kukai.Cli;

/// <summary>
/// Keeps secrets out of the messages the command prints (SPEC §6): values given to a secret-looking flag
/// (<c>--token</c>, <c>--password</c> …, also as <c>--token=VALUE</c>), values of secret-looking <c>KEY=VALUE</c>
/// settings (<c>sasl.password=…</c>) and <c>KUKAI_TOKEN</c> are shown as <c>***</c> — also where a command does not
/// know the flag and would otherwise echo its value as an unexpected argument.
/// </summary>
public sealed partial class SecretMask
{
    public const string Mask = "***";

    // Shorter secrets are masked only where a message quotes them whole ('x'): masking every occurrence of two
    // letters would garble the message.
    private const int MinBareLength = 4;

    private readonly string[] _secrets;

    private SecretMask(string[] secrets) => _secrets = secrets;

    /// <summary>The secrets among the command-line <paramref name="args"/> and the environment's token.</summary>
    public static SecretMask From(IReadOnlyList<string> args, string? environmentToken)
    {
        var secrets = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (SecretFlag().Match(args[i]) is { Success: true } flag)
            {
                if (flag.Groups["value"].Success)
                {
                    secrets.Add(flag.Groups["value"].Value);
                }
                else if (i + 1 < args.Count)
                {
                    secrets.Add(args[i + 1]);
                }
            }
            else if (SecretSetting().Match(args[i]) is { Success: true } setting)
            {
                secrets.Add(setting.Groups["value"].Value);
            }
        }

        if (!string.IsNullOrEmpty(environmentToken))
        {
            secrets.Add(environmentToken);
        }

        // Longest first, so that a secret containing another is masked whole.
        return new SecretMask([.. secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)]);
    }

    /// <summary><paramref name="line"/> with every secret replaced by <see cref="Mask"/>.</summary>
    public string Apply(string line)
    {
        foreach (var secret in _secrets)
        {
            line = secret.Length >= MinBareLength
                ? line.Replace(secret, Mask, StringComparison.Ordinal)
                : line.Replace($"'{secret}'", $"'{Mask}'", StringComparison.Ordinal);
        }

        return line;
    }

    private const string SecretWord = "token|password|passwd|secret|api[-_]?key|credential|jaas";

    [GeneratedRegex(@"^--?[\w.-]*(?:" + SecretWord + @")[\w.-]*(?:=(?<value>.*))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SecretFlag();

    [GeneratedRegex(@"^[\w.-]*(?:" + SecretWord + @")[\w.-]*=(?<value>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SecretSetting();
}
