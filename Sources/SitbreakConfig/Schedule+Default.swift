import SitbreakEngine

extension Schedule {
    /// The built-in default (docs/design.md §3): posture (every 20m, a nudge), walk (every 50m, 5m)
    /// and stretch (every 2h, 10m), every other key at its default.
    ///
    /// `config/sitbreak.toml` writes exactly this out; a test keeps the two equal. The
    /// suggestions are gentle back-care activities only: nothing strenuous, no lifting, no sudden
    /// twisting, because the people this is for often already have a sore back.
    public static let builtInDefault = Schedule(
        idleThreshold: 120,
        coalesce: 120,
        dayStartsMinute: 240,
        dailyLimit: nil,
        pauseDefault: 3600,
        inhibitorsCountAsSitting: true,
        activeHours: [],
        kinds: [
            BreakKind(
                name: "posture", every: 1200, duration: 0,
                message: "Posture check: let your chair hold your back for a moment.",
                suggestions: [
                    "Sit all the way back so a cushion supports the curve of your lower back.",
                    "Let your shoulders drop away from your ears and rest.",
                    "Set both feet flat on the floor, knees about level with your hips.",
                    "Take three slow breaths into your belly and let your back soften.",
                ]
            ),
            BreakKind(
                name: "walk", every: 3000, duration: 300,
                message: "Time to stand up and walk for a few minutes.",
                suggestions: [
                    "Take an easy five-minute walk to get the blood flowing again.",
                    "Fetch a glass of water and take the long way back.",
                    "Stroll around the room or along the hall at a relaxed pace.",
                    "Step outside for a short walk and a breath of fresh air.",
                ]
            ),
            BreakKind(
                name: "stretch", every: 7200, duration: 600,
                message: "Time for ten minutes of slow, gentle care for your back.",
                suggestions: [
                    "Lie on your back with your knees bent and let your whole back rest on the floor.",
                    "Lying with your knees bent, do ten slow pelvic tilts, gently flattening your lower back.",
                    "On hands and knees, slowly round and then lengthen your back, moving with your breath.",
                    "Lying on your back, hug one knee at a time gently towards your chest.",
                    "Kneel on one knee and ease your hips forward for a gentle hip-flexor stretch on each side.",
                    "Breathe in slowly through your nose and out through your mouth, letting your back relax.",
                    "Rest a warm pack or hot-water bottle on a stiff back while you breathe slowly.",
                ]
            ),
        ]
    )
}
