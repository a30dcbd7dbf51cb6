using System.Management.Automation;
using Bitrix24.Rest.Crm.Timeline;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// Set-B24TimelineComment and Remove-B24TimelineComment: comments by id, and, when piped from
    /// Get-B24TimelineComment, the record they are on (ENTITY_TYPE, ENTITY_ID), which the portal wants as ownerTypeId
    /// and ownerId when a comment is on several records.
    /// </summary>
    public abstract class B24CommentChangeCmdlet : B24ConnectedCmdlet
    {
        /// <summary>The comments' ids (the ID of objects from Get-B24TimelineComment).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>The record the comment is on, by type name (ENTITY_TYPE of a piped comment: deal, lead, dynamic_1032 …).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("ENTITY_TYPE")]
        public string OwnerType { get; set; }

        /// <summary>The id of the record the comment is on (ENTITY_ID of a piped comment).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("ENTITY_ID")]
        public int OwnerId { get; set; }

        protected TimelineComments Comments { get; private set; }

        /// <summary>The record of the piped comment, when it named one.</summary>
        protected CrmOwner? Owner => CrmOwner.EntityTypeIdOf(OwnerType) is int type && OwnerId > 0 ? new CrmOwner(type, OwnerId) : (CrmOwner?)null;

        /// <summary>How -WhatIf names comment <paramref name="id"/>.</summary>
        protected string Target(int id) => Owner is CrmOwner owner ? $"Comment {id} on {owner}" : $"Comment {id}";

        protected void StartCommentBulk(string activity, string outcome)
        {
            Comments = new TimelineComments(ActiveConnection.Client);
            StartBulk(ActiveConnection.Client, activity, outcome, null, unit: "comments");
        }

        protected override void EndProcessing() => CompleteBulk();
    }
}
