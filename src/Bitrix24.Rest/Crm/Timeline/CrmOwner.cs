using System;
using System.Globalization;

namespace Bitrix24.Rest.Crm.Timeline
{
    /// <summary>
    /// The CRM record a timeline entry belongs to: its type (entityTypeId: 1 lead, 2 deal, 3 contact, 4 company,
    /// a smart process's own number) and id (crm/data-types.md, "CRM Object Types").
    /// </summary>
    public readonly struct CrmOwner : IEquatable<CrmOwner>
    {
        public CrmOwner(int entityTypeId, int id)
        {
            if (entityTypeId <= 0) throw new ArgumentOutOfRangeException(nameof(entityTypeId), entityTypeId, "A CRM type's entityTypeId is a positive number.");
            if (id <= 0) throw new ArgumentOutOfRangeException(nameof(id), id, "A record id is a positive number.");
            EntityTypeId = entityTypeId;
            Id = id;
        }

        public int EntityTypeId { get; }
        public int Id { get; }

        /// <summary>The type as crm.timeline.comment.* names it: the entityTypeName in lower case
        /// ("lead", "deal", "contact", "company", "dynamic_1046"; crm-timeline-comment-add.md).</summary>
        public string TypeName => TypeNameOf(EntityTypeId);

        public static string TypeNameOf(int entityTypeId)
        {
            switch (entityTypeId)
            {
                case 1: return "lead";
                case 2: return "deal";
                case 3: return "contact";
                case 4: return "company";
                default: return "dynamic_" + entityTypeId.ToString(CultureInfo.InvariantCulture);
            }
        }

        /// <summary>The entityTypeId of a type name as the comment methods answer it ("deal", "dynamic_1046"), or null.</summary>
        public static int? EntityTypeIdOf(string typeName)
        {
            switch ((typeName ?? "").Trim().ToLowerInvariant())
            {
                case "lead": return 1;
                case "deal": return 2;
                case "contact": return 3;
                case "company": return 4;
            }
            const string dynamic = "dynamic_";
            return typeName != null && typeName.StartsWith(dynamic, StringComparison.OrdinalIgnoreCase) &&
                   int.TryParse(typeName.Substring(dynamic.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
        }

        /// <summary>"Deal 120", "Lead 7", "Item 5 of type 1032": how errors and -WhatIf name the record.</summary>
        public override string ToString()
        {
            var id = Id.ToString(CultureInfo.InvariantCulture);
            switch (EntityTypeId)
            {
                case 1: return "Lead " + id;
                case 2: return "Deal " + id;
                case 3: return "Contact " + id;
                case 4: return "Company " + id;
                default: return $"Item {id} of type {EntityTypeId.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        public bool Equals(CrmOwner other) => EntityTypeId == other.EntityTypeId && Id == other.Id;
        public override bool Equals(object obj) => obj is CrmOwner other && Equals(other);
        public override int GetHashCode() => EntityTypeId * 397 ^ Id;
    }
}
