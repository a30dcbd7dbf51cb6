using System.Collections.Generic;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Objects
{
    /// <summary>
    /// The base object behind every Bitrix24.Lead, Bitrix24.Deal …: it holds what the record was read as,
    /// and has no public members, so the only properties a user sees are the record's fields.
    /// </summary>
    internal sealed class CrmObjectState
    {
        public CrmObjectState(CrmSnapshot snapshot, int? listTotal)
        {
            Snapshot = snapshot;
            ListTotal = listTotal;
        }

        internal CrmSnapshot Snapshot { get; }
        /// <summary>How many records the list this one came from had: lets Set- show a total.</summary>
        internal int? ListTotal { get; }
        public override string ToString() => $"Bitrix24 {Snapshot.Entity.ApiName} {Snapshot.Id}";
    }

    /// <summary>Builds and reads Bitrix24.Lead, Bitrix24.Deal, Bitrix24.Contact and Bitrix24.Company objects.</summary>
    internal static class CrmObjects
    {
        public static PSObject Create(CrmSnapshot snapshot, int? listTotal = null)
        {
            var record = new PSObject(new CrmObjectState(snapshot, listTotal));
            var entity = snapshot.Entity;
            if (entity.IsSmartProcess) record.TypeNames.Insert(0, CrmEntity.ItemTypeName);
            record.TypeNames.Insert(0, entity.TypeName);
            foreach (var pair in snapshot.TypedValues())
                record.Properties.Add(new PSNoteProperty(entity.DisplayName(pair.Key), pair.Value));
            return record;
        }

        /// <summary>What a piped record was read as, when it is one of <paramref name="entity"/>'s.</summary>
        public static CrmSnapshot SnapshotOf(PSObject value, CrmEntity entity) =>
            (value?.BaseObject as CrmObjectState)?.Snapshot is CrmSnapshot snapshot && snapshot.Entity.IsSame(entity) ? snapshot : null;

        /// <summary>The entity of a piped record object, or null for anything else.</summary>
        public static CrmEntity EntityOf(PSObject value) => (value?.BaseObject as CrmObjectState)?.Snapshot.Entity;

        public static int? ListTotalOf(PSObject value) => (value?.BaseObject as CrmObjectState)?.ListTotal;

        /// <summary>The record's field properties as they are now (after the user's edits).</summary>
        public static IEnumerable<KeyValuePair<string, object>> CurrentValues(PSObject record)
        {
            foreach (var property in record.Properties)
            {
                if (property.MemberType != PSMemberTypes.NoteProperty) continue;
                yield return new KeyValuePair<string, object>(property.Name, PSValue.Unwrap(property.Value));
            }
        }
    }
}
