namespace Ferry.Storage;

/// <summary>Kinds of audited change; stored by name so that new kinds need no migration.</summary>
public enum AuditAction
{
    ModelCreated,
    ModelUpdated,
    ModelDeleted,
    VersionCreated,
    VersionDeleted,
    VersionUpdated,
    AliasSet,
    AliasDeleted,
    TagSet,
    TagDeleted,
}
