using System.Text;

namespace Ferry.Tracking.Runs;

/// <summary>
/// Splits a filter such as <c>metrics.acc &gt; 0.9 AND params."batch size" = '32'</c> into tokens. Identifiers may be
/// quoted with backticks or double quotes (keys with spaces or dots); strings use single quotes, with '' for a quote.
/// </summary>
internal static class FilterTokenizer
{
    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '.')
            {
                tokens.Add(new FilterToken(FilterTokenKind.Dot, ".", i++));
            }
            else if (c is '\'' or '"' or '`')
            {
                var start = i;
                var value = Quoted(text, ref i, c);
                tokens.Add(new FilterToken(c == '\'' ? FilterTokenKind.String : FilterTokenKind.Identifier, value, start));
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var start = i++;
                if (i < text.Length && (text[i] == '=' || (c == '<' && text[i] == '>')))
                {
                    i++;
                }

                var op = text[start..i];
                if (op == "!")
                {
                    throw RunFilter.Error(start, "'!' must be followed by '='");
                }

                tokens.Add(new FilterToken(FilterTokenKind.Operator, op, start));
            }
            else if (char.IsDigit(c) || c is '-' or '+')
            {
                var start = i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '-' or '+'))
                {
                    i++;
                }

                tokens.Add(new FilterToken(FilterTokenKind.Number, text[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '/' or ':'))
                {
                    i++;
                }

                tokens.Add(new FilterToken(FilterTokenKind.Identifier, text[start..i], start));
            }
            else
            {
                throw RunFilter.Error(i, $"unexpected character '{c}'");
            }
        }

        tokens.Add(new FilterToken(FilterTokenKind.End, "", text.Length));
        return tokens;
    }

    private static string Quoted(string text, ref int i, char quote)
    {
        var start = i++;
        var value = new StringBuilder();
        while (i < text.Length)
        {
            if (text[i] == quote)
            {
                // A doubled quote stands for the quote itself, as in SQL.
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(text[i++]);
        }

        throw RunFilter.Error(start, $"unterminated {quote}...{quote}");
    }
}
