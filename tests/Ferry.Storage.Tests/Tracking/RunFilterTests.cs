using Ferry.Storage.Tracking;
using Ferry.Tracking.Runs;

namespace Ferry.Storage.Tests.Tracking;

public sealed class RunFilterTests
{
    [Fact]
    public void Parse_QuotedAndDottedKeysAttributesAndEscapedQuotes_YieldsTypedClauses()
    {
        var clauses = RunFilter.Parse("metrics.`val loss` <= 0.5 and params.\"opt.lr\" != '1e-3' AND tags.note = 'it''s' AND status = 'FINISHED' AND attributes.start_time >= 17 AND metrics.val.acc > -1e2");

        Assert.Equal(
            [
                new RunFilterClause(new RunField(RunFieldKind.Metric, "val loss"), FilterOp.LessOrEqual, 0.5),
                new RunFilterClause(new RunField(RunFieldKind.Param, "opt.lr"), FilterOp.NotEqual, "1e-3"),
                new RunFilterClause(new RunField(RunFieldKind.Tag, "note"), FilterOp.Equal, "it's"),
                new RunFilterClause(new RunField(RunFieldKind.Attribute, RunAttributes.Status), FilterOp.Equal, "FINISHED"),
                new RunFilterClause(new RunField(RunFieldKind.Attribute, RunAttributes.StartTime), FilterOp.GreaterOrEqual, 17.0),
                new RunFilterClause(new RunField(RunFieldKind.Metric, "val.acc"), FilterOp.Greater, -100.0),
            ],
            clauses);
    }

    [Fact]
    public void ParseOrderBy_DefaultsToAscending_AndRejectsTrailingWords()
    {
        var orders = RunFilter.ParseOrderBy(["metrics.acc DESC", "params.lr", "attributes.start_time asc"]);
        var error = Assert.Throws<FerryException>(() => RunFilter.ParseOrderBy(["metrics.acc DESC LIMIT"]));

        Assert.Equal(
            [
                new RunOrder(new RunField(RunFieldKind.Metric, "acc"), true),
                new RunOrder(new RunField(RunFieldKind.Param, "lr"), false),
                new RunOrder(new RunField(RunFieldKind.Attribute, RunAttributes.StartTime), false),
            ],
            orders);
        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
    }

    [Fact]
    public void Parse_ValueThatLooksLikeSql_StaysAValue()
    {
        var clause = Assert.Single(RunFilter.Parse("params.x = 'a''; DROP TABLE runs; --'"));

        Assert.Equal("a'; DROP TABLE runs; --", clause.Value);
    }
}
