# A portal that answers as the REST docs say, in the shell a user has: deals created in and moved between
# pipelines, product rows read, changed and set back, a photo uploaded from a path and saved again, phones on
# -Api Item, and the self-check a user runs on their own portal.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal -Demo
    Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 1000 -Burst 1000
}
AfterAll { Stop-TestPortal $portal }

Describe 'Pipelines, product rows and files' {
    It 'a deal is created in pipeline 1 and another is moved there with one of its stages' {
        $new = New-B24Deal -Title 'Wholesale order' -CategoryId 1 -StageId C1:PREPARATION
        $other = New-B24Deal -Title 'To move'
        Set-B24Deal -Id $other.ID -CategoryId 1 -StageId C1:EXECUTING

        (Get-PortalRecord $portal deal $new.ID).CATEGORY_ID | Should -Be '1'
        (Get-PortalRecord $portal deal $new.ID).STAGE_ID | Should -Be 'C1:PREPARATION'
        (Get-B24Deal -Id $other.ID).STAGE_ID | Should -Be 'C1:EXECUTING'
    }

    It 'a deal''s product rows are read, one price changed, and set back' {
        $deal = New-B24Deal -Title 'Rows'
        Set-B24DealProductRow -Id $deal.ID -Row @{ PRODUCT_NAME = 'Chair'; PRICE = 150; QUANTITY = 2 }, @{ PRODUCT_NAME = 'Desk'; PRICE = 400 }

        $rows = Get-B24DealProductRow -Id $deal.ID
        ($rows | Where-Object PRODUCT_NAME -eq 'Desk').PRICE = 450
        Set-B24DealProductRow -Id $deal.ID -Row $rows

        (Get-B24DealProductRow -Id $deal.ID).PRICE | Should -Be @(150, 450)
        (Get-B24Deal -Id $deal.ID).OPPORTUNITY | Should -Be 750
    }

    It 'a photo is uploaded from a relative path and saved again byte for byte' {
        Push-Location $TestDrive
        try {
            [IO.File]::WriteAllBytes("$TestDrive/face.png", [byte[]](137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3))
            $contact = New-B24Contact -Name Anna -Photo ./face.png
            $null = New-Item -ItemType Directory ./saved
            $saved = (Get-B24Contact -Id $contact.ID).PHOTO | Save-B24File -Path ./saved -PassThru

            $saved.Name | Should -Be 'face.png'
            [IO.File]::ReadAllBytes($saved.FullName) | Should -Be ([IO.File]::ReadAllBytes("$TestDrive/face.png"))
            { New-B24Contact -Name Bob -Photo ./no-such.png -ErrorAction Stop } | Should -Throw '*no file at*'
        }
        finally { Pop-Location }
    }
}

Describe '-Api Item reads and changes phones as the classic route does' {
    BeforeAll { Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -Api Item -RateLimit 1000 -Burst 1000 }
    AfterAll { Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 1000 -Burst 1000 }

    It 'Get-B24Contact -Select NAME, PHONE shows the phones, and a phone added keeps the old one' {
        $contact = New-B24Contact -Name 'Item route' -Phone '+1 555 0300'
        $read = Get-B24Contact -Filter @{ ID = $contact.ID } -Select NAME, PHONE
        Set-B24Contact -Id $contact.ID -Phone '+1 555 0301'

        $read.PHONE.VALUE | Should -Be '+1 555 0300'
        (Get-B24Contact -Id $contact.ID).PHONE.VALUE | Should -Be @('+1 555 0300', '+1 555 0301')
    }
}

Describe 'Test-Bitrix24Connection' {
    It 'passes every check on a portal that answers as the docs say, and its write checks leave nothing behind' {
        $leads = @(Get-B24Lead -Filter @{ '%TITLE' = 'self-check' }).Count
        $checks = Test-Bitrix24Connection -IncludeWrite -Confirm:$false

        $checks | Where-Object Passed -eq $false | Should -BeNullOrEmpty
        $checks.Name | Should -Contain 'Write.DealPipelineMove'
        $checks | Get-ViewOverflow -Width 120 | Should -BeNullOrEmpty
        @(Get-B24Lead -Filter @{ '%TITLE' = 'self-check' }).Count | Should -Be $leads
    }

    It '-WhatIf shows the write checks and runs none of them' {
        $out = Invoke-FreshPwsh "Import-Module '$(Get-BuiltModulePath)'; Connect-Bitrix24 -WebhookUrl '$($portal.WebhookUrl)'; (Test-Bitrix24Connection -IncludeWrite -WhatIf).Name"
        ($out -join "`n") | Should -Match 'What if: .*Create a lead and a deal'
        ($out -join "`n") | Should -Not -Match 'Write\.'
    }
}
