using System.Globalization;
using Ferry.Storage.Tracking;

namespace Ferry.Tracking.Runs;

/// <summary>
/// Parses MLflow's run search syntax: clauses <c>entity.key op value</c> joined by AND, and order-by keys
/// <c>entity.key [ASC|DESC]</c>. Entities: <c>metrics</c>, <c>params</c>, <c>tags</c>, <c>attributes</c> (with
/// MLflow's singular and short spellings). Every error is InvalidArgument and names the position.
/// </summary>
public static class RunFilter
{
    public static IReadOnlyList<RunFilterClause> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var tokens = FilterTokenizer.Tokenize(filter);
        var clauses = new List<RunFilterClause>();
        var i = 0;
        while (true)
        {
            var field = ReadField(tokens, ref i);
            var opToken = tokens[i++];
            var op = ReadOperator(opToken);
            var valueToken = tokens[i++];
            clauses.Add(new RunFilterClause(field, op, ReadValue(field, op, opToken, valueToken)));
            var next = tokens[i];
            if (next.Kind == FilterTokenKind.End)
            {
                return clauses;
            }

            if (next.Kind != FilterTokenKind.Identifier || !next.Text.Equals("AND", StringComparison.OrdinalIgnoreCase))
            {
                throw Error(next.Position, $"expected AND or the end of the filter, found '{next.Text}' (only AND joins clauses)");
            }

            i++;
        }
    }

    public static IReadOnlyList<RunOrder> ParseOrderBy(IReadOnlyList<string>? orderBy)
    {
        var orders = new List<RunOrder>();
        foreach (var text in orderBy ?? [])
        {
            var tokens = FilterTokenizer.Tokenize(text);
            var i = 0;
            var field = ReadField(tokens, ref i);
            var descending = false;
            if (tokens[i].Kind == FilterTokenKind.Identifier && tokens[i].Text.ToUpperInvariant() is "ASC" or "DESC")
            {
                descending = tokens[i++].Text.Equals("DESC", StringComparison.OrdinalIgnoreCase);
            }

            if (tokens[i].Kind != FilterTokenKind.End)
            {
                throw Error(tokens[i].Position, $"invalid order_by clause '{text}': expected ASC or DESC at the end");
            }

            orders.Add(new RunOrder(field, descending));
        }

        return orders;
    }

    internal static FerryException Error(int position, string message) =>
        FerryException.Invalid($"Invalid filter at position {position.ToString(CultureInfo.InvariantCulture)}: {message}");

    private static RunField ReadField(List<FilterToken> tokens, ref int i)
    {
        var first = tokens[i++];
        if (first.Kind != FilterTokenKind.Identifier)
        {
            throw Error(first.Position, $"expected metrics.KEY, params.KEY, tags.KEY or an attribute, found '{first.Text}'");
        }

        if (tokens[i].Kind != FilterTokenKind.Dot)
        {
            // A bare name is an attribute, as in MLflow's "status = 'FINISHED'".
            return Attribute(first);
        }

        i++;
        var key = tokens[i++];
        if (key.Kind is not (FilterTokenKind.Identifier or FilterTokenKind.String))
        {
            throw Error(key.Position, $"expected a key after '{first.Text}.'");
        }

        // Unquoted keys may contain dots ("metrics.val.loss"): the rest of the dotted name is the key.
        var text = key.Text;
        while (tokens[i].Kind == FilterTokenKind.Dot && tokens[i + 1].Kind == FilterTokenKind.Identifier)
        {
            text += "." + tokens[i + 1].Text;
            i += 2;
        }

        return first.Text.ToLowerInvariant() switch
        {
            "metrics" or "metric" => new RunField(RunFieldKind.Metric, text),
            "params" or "param" or "parameters" or "parameter" => new RunField(RunFieldKind.Param, text),
            "tags" or "tag" => new RunField(RunFieldKind.Tag, text),
            "attributes" or "attribute" or "attr" or "run" => Attribute(key with { Text = text }),
            _ => throw Error(first.Position, $"invalid entity type '{first.Text}': expected metrics, params, tags or attributes"),
        };
    }

    private static RunField Attribute(FilterToken token)
    {
        var key = token.Text.ToLowerInvariant() switch
        {
            "name" or "run_name" => RunAttributes.RunName,
            "status" => RunAttributes.Status,
            "run_id" => RunAttributes.RunId,
            "start_time" => RunAttributes.StartTime,
            "end_time" => RunAttributes.EndTime,
            _ => throw Error(token.Position, $"invalid attribute key '{token.Text}': expected run_name, status, run_id, start_time or end_time"),
        };
        return new RunField(RunFieldKind.Attribute, key);
    }

    private static FilterOp ReadOperator(FilterToken token) => (token.Kind, token.Text.ToUpperInvariant()) switch
    {
        (FilterTokenKind.Operator, "=") => FilterOp.Equal,
        (FilterTokenKind.Operator, "!=" or "<>") => FilterOp.NotEqual,
        (FilterTokenKind.Operator, ">") => FilterOp.Greater,
        (FilterTokenKind.Operator, ">=") => FilterOp.GreaterOrEqual,
        (FilterTokenKind.Operator, "<") => FilterOp.Less,
        (FilterTokenKind.Operator, "<=") => FilterOp.LessOrEqual,
        (FilterTokenKind.Identifier, "LIKE") => FilterOp.Like,
        (FilterTokenKind.Identifier, "ILIKE") => FilterOp.ILike,
        _ => throw Error(token.Position, $"expected a comparison operator (=, !=, >, >=, <, <=, LIKE, ILIKE), found '{token.Text}'"),
    };

    private static object ReadValue(RunField field, FilterOp op, FilterToken opToken, FilterToken value)
    {
        var numeric = field.Kind == RunFieldKind.Metric || (field.Kind == RunFieldKind.Attribute && RunAttributes.IsNumeric(field.Key));
        if (numeric)
        {
            if (op is FilterOp.Like or FilterOp.ILike)
            {
                throw Error(opToken.Position, $"{op.ToString().ToUpperInvariant()} does not apply to the numeric field '{field.Key}'");
            }

            if (value.Kind != FilterTokenKind.Number
                || !double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw Error(value.Position, $"expected a number to compare '{field.Key}' with, found '{value.Text}'");
            }

            return number;
        }

        if (op is not (FilterOp.Equal or FilterOp.NotEqual or FilterOp.Like or FilterOp.ILike))
        {
            throw Error(opToken.Position, $"'{opToken.Text}' does not apply to the string field '{field.Key}': use =, !=, LIKE or ILIKE");
        }

        if (value.Kind != FilterTokenKind.String)
        {
            throw Error(value.Position, $"expected a quoted string ('...') to compare '{field.Key}' with, found '{value.Text}'");
        }

        return value.Text;
    }
}
